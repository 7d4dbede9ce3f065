# Imports the reference solutions and the hidden checks as modules. Must score 0.
# %% eval_dqn
import sys, pathlib, course
sys.path.insert(0, str(pathlib.Path(course.__file__).parents[1]))
from solutions.dqn import *  # noqa
from autograder.test_dqn import *  # noqa
