"""The built-in question bank: one YAML file per topic, shipped inside the package."""
