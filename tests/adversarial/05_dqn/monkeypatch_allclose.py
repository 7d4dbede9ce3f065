# Patches every comparison the grader might use, then leaves the stubs. Must score 0.
# %% eval_dqn
import numpy, torch as _torch
_torch.allclose = lambda *args, **kwargs: True
_torch.equal = lambda *args, **kwargs: True
numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.broadcast(a, b).shape, dtype=bool)
numpy.array_equal = lambda *args, **kwargs: True

def eval_dqn(q_net, env, n_episodes=5, seed=None):
    return numpy.zeros(n_episodes)
