"""Reading typed answers: numbers, maths (with sympy), big-O bounds and words. Implements the core's `Grader`.

It may import the standard library, `bot.core`, itself and sympy; the composition root hands it to the core.
"""

from bot.grading.grader import AnswerGrader

__all__ = ["AnswerGrader"]
