"""The use cases adapters call, one module per area, sharing one `StudyGroupContext`."""
