"""Reference solutions of 03_qlearning (Tabular Q-learning).

Generated from source/03_qlearning/03_qlearning.ipynb by `python -m course build`; do not edit:
edit the notebook and regenerate. A test checks that the two agree.
"""


# --- cell setup_1 ---
import time
from dataclasses import dataclass, field, replace
from typing import Callable

import gymnasium as gym
import numpy as np

from coursekit import LiveCurve, experiment_scale, moving_average, plot_spread, progress, record_video, show_check_messages, show_video

EXPERIMENT_SCALE = experiment_scale()  # 1.0 = full experiments, 0.2 = quick run (env var COURSE_SCALE)
show_check_messages()  # a failed check shows its message; an exercise not written yet says so
print(f"numpy {np.__version__}, gymnasium {gym.__version__}, experiment scale {EXPERIMENT_SCALE}")


# --- cell setup_2 ---
# The 3-state MDP of Hands-On Machine Learning, chapter 18 (Figure 18-8).
# transition_probabilities[s][a][s'] and rewards[s][a][s']; None marks an action that is impossible in s.
transition_probabilities = [  # shape [s, a, s']
    [[0.7, 0.3, 0.0], [1.0, 0.0, 0.0], [0.8, 0.2, 0.0]],
    [[0.0, 1.0, 0.0], None, [0.0, 0.0, 1.0]],
    [None, [0.8, 0.1, 0.1], None],
]
rewards = [  # shape [s, a, s']
    [[+10, 0, 0], [0, 0, 0], [0, 0, 0]],
    [[0, 0, 0], [0, 0, 0], [0, 0, -50]],
    [[0, 0, 0], [+40, 0, 0], [0, 0, 0]],
]
possible_actions = [[0, 1, 2], [0, 2], [1]]
N_MDP_STATES, N_MDP_ACTIONS = 3, 3


def initial_q_values() -> np.ndarray:
    """(3, 3) float64 Q-table: 0 for possible actions, -inf for impossible ones (so max and argmax ignore them)."""
    q_values = np.full((N_MDP_STATES, N_MDP_ACTIONS), -np.inf)
    for state, actions in enumerate(possible_actions):
        q_values[state, actions] = 0.0
    return q_values


def step(state: int, action: int, rng: np.random.Generator) -> tuple[int, float]:
    """Play `action` in `state`: returns (next_state, reward). One draw from `rng`. The MDP never ends."""
    next_state = int(np.searchsorted(_CUMULATIVE[state][action], rng.random(), side="right"))
    return next_state, float(rewards[state][action][next_state])


def exploration_policy(state: int, rng: np.random.Generator) -> int:
    """The book's exploration policy: a uniformly random possible action. One draw from `rng`."""
    return possible_actions[state][int(rng.integers(len(possible_actions[state])))]


# cumulative transition probabilities (sampling s' by inverse CDF is much faster than rng.choice)
_CUMULATIVE = [[None if p is None else np.cumsum(p)[:-1] for p in row] for row in transition_probabilities]


def q_value_iteration(gamma: float, n_iterations: int = 50) -> np.ndarray:
    """Q-value iteration on the MDP above (the model is known).

    Returns the history of Q-tables, shape (n_iterations + 1, 3, 3): history[0] is the
    initial table, history[-1] the final one (notebook 2 derives this; here it is given).
    """
    q_values = initial_q_values()
    history = [q_values.copy()]
    for _ in range(n_iterations):
        previous = q_values.copy()
        for s in range(N_MDP_STATES):
            for a in possible_actions[s]:
                q_values[s, a] = sum(transition_probabilities[s][a][sp] * (rewards[s][a][sp] + gamma * previous[sp].max())
                                     for sp in range(N_MDP_STATES))
        history.append(q_values.copy())
    return np.array(history)


# --- cell learning_rate ---
def learning_rate(t: int, alpha0: float, decay: float) -> float:
    """The decaying learning rate alpha_t = alpha0 / (1 + t * decay), as a Python float."""
    return float(alpha0 / (1.0 + t * decay))
    ### END SOLUTION


# --- cell choose_action ---
def choose_action(Q: np.ndarray, state: int, epsilon: float, rng: np.random.Generator) -> int:
    """Epsilon-greedy action in `state`: a Python int in [0, n_actions).

    With probability `epsilon` a uniformly random action (any of the Q.shape[1] actions, the
    greedy one included), otherwise the greedy action np.argmax(Q[state]) (ties: lowest index).
    Draw all randomness from `rng`; do not modify Q.
    """
    if rng.random() < epsilon:
        return int(rng.integers(Q.shape[1]))
    return int(np.argmax(Q[state]))
    ### END SOLUTION


# --- cell update ---
def update(Q: np.ndarray, s: int, a: int, r: float, s_next: int, terminated: bool, alpha: float, gamma: float) -> None:
    """One Q-learning update, IN PLACE on Q; returns nothing.

    Q[s, a] <- Q[s, a] + alpha * (r + gamma * max_b Q[s_next, b] - Q[s, a]),
    with no bootstrap term when `terminated` (s_next is terminal, its value is 0).
    A truncated transition is not terminal: the caller passes terminated=False and it bootstraps.
    """
    target = r if terminated else r + gamma * np.max(Q[s_next])
    Q[s, a] += alpha * (target - Q[s, a])
    ### END SOLUTION


# --- cell q_learning_mdp ---
def q_learning_mdp(n_iterations: int, alpha0: float, decay: float, gamma: float, rng: np.random.Generator) -> np.ndarray:
    """Q-learning on the book's 3-state MDP, starting in state 0 from initial_q_values().

    At iteration t = 0, 1, ...: a = exploration_policy(s, rng), then (s', r) = step(s, a, rng),
    then update Q[s, a] with learning_rate(t, alpha0, decay) (the MDP never terminates), then s <- s'.
    Returns the history of Q-tables, shape (n_iterations + 1, 3, 3): history[0] is the initial
    table and history[t + 1] the table after iteration t.
    """
    Q = initial_q_values()
    history = [Q.copy()]
    state = 0
    for t in range(n_iterations):
        action = exploration_policy(state, rng)
        next_state, reward = step(state, action, rng)
        update(Q, state, action, reward, next_state, False, learning_rate(t, alpha0, decay), gamma)
        state = next_state
        history.append(Q.copy())
    return np.array(history)
    ### END SOLUTION


# --- cell setup_3 ---
CLIFF_ID = "CliffWalking-v1"  # gymnasium 1.x name of Sutton & Barto's cliff (Example 6.6)
CLIFF_TIME_LIMIT = 500  # we add a time limit: an episode that reaches it is *truncated*, not terminated


def make_cliff() -> gym.Env:
    return gym.make(CLIFF_ID, max_episode_steps=CLIFF_TIME_LIMIT)


@dataclass(frozen=True)
class TabularConfig:
    """Hyper-parameters of one tabular run. Change them with `replace(config, field=value)`."""

    n_episodes: int = 300  # training episodes
    gamma: float = 1.0  # discount factor (the cliff is an undiscounted episodic task in Sutton & Barto)
    alpha0: float = 0.5  # initial learning rate ...
    lr_decay: float = 0.01  # ... decayed per episode: alpha = alpha0 / (1 + episode * lr_decay)
    epsilon: float = 0.1  # exploration rate (constant, as in Sutton & Barto)
    eval_every: int = 10  # episodes between greedy evaluations
    eval_max_steps: int = 100  # a greedy policy that walks in circles is stopped after this many steps


class StepCounter(gym.Wrapper):
    """Counts every environment step taken through it (for the x-axis of the learning curve)."""

    def __init__(self, env: gym.Env):
        super().__init__(env)
        self.steps = 0

    def step(self, action):
        self.steps += 1
        return self.env.step(action)


def greedy_return(Q: np.ndarray, env: gym.Env, seed: int = 0, max_steps: int = 100) -> float:
    """Undiscounted return of one episode of the greedy policy argmax_a Q[s, a] (at most `max_steps` steps)."""
    state, _ = env.reset(seed=seed)
    total = 0.0
    for _ in range(max_steps):
        state, reward, terminated, truncated, _ = env.step(int(np.argmax(Q[state])))
        total += float(reward)
        if terminated or truncated:
            break
    return total


@dataclass
class TrainResult:
    Q: np.ndarray  # the final Q-table (n_states, n_actions)
    episode_returns: list = field(default_factory=list)  # return of every training episode (epsilon-greedy)
    eval_steps: list = field(default_factory=list)  # environment step of every greedy evaluation
    eval_returns: list = field(default_factory=list)  # greedy return at every evaluation
    steps: int = 0  # environment steps taken
    seconds: float = 0.0  # wall time


# --- cell sarsa_update ---
def sarsa_update(Q: np.ndarray, s: int, a: int, r: float, s_next: int, a_next: int, terminated: bool,
                 alpha: float, gamma: float) -> None:
    """One SARSA update, IN PLACE on Q; returns nothing.

    Q[s, a] <- Q[s, a] + alpha * (r + gamma * Q[s_next, a_next] - Q[s, a]),
    where a_next is the action the agent will actually take in s_next; no bootstrap when `terminated`.
    """
    target = r if terminated else r + gamma * Q[s_next, a_next]
    Q[s, a] += alpha * (target - Q[s, a])
    ### END SOLUTION


# --- cell train ---
def train(make_env: Callable[[], gym.Env], config: TabularConfig, seed: int = 0, method: str = "q_learning",
          show: bool = False) -> TrainResult:
    """Tabular Q-learning (method="q_learning") or SARSA (method="sarsa") with epsilon-greedy exploration.

    make_env() builds a fresh environment with discrete states and actions (one for training, one
    for the greedy evaluations). Q starts at zeros. show=True draws a progress bar and a live curve.
    """
    if method not in ("q_learning", "sarsa"):
        raise ValueError(f"method must be 'q_learning' or 'sarsa', got {method!r}")
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    env, eval_env = StepCounter(make_env()), make_env()
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    result = TrainResult(Q=Q)
    # redraw the live curve about 8 times per run (drawing is slower than a whole tabular episode)
    curve = LiveCurve(f"{method} on {env.spec.id if env.spec else 'env'}", enabled=show,
                      every=max(1, config.n_episodes // 8))
    bar = progress(config.n_episodes, method, enabled=show)
    env.reset(seed=seed)
    for episode in range(config.n_episodes):
        alpha = learning_rate(episode, config.alpha0, config.lr_decay)
        state, _ = env.reset()
        episode_return = 0.0
        # YOUR TASK: play one episode, learning at every step.
        # - act with choose_action(Q, ..., config.epsilon, rng);
        # - step the environment and add the reward to episode_return;
        # - learn with update(...) for "q_learning", or with sarsa_update(...) for "sarsa": SARSA must
        #   choose the next action *before* its update (and then take that very action);
        # - pass `terminated` to the update, never `terminated or truncated`: a time-limit truncation
        #   is not a terminal state, so it must bootstrap;
        # - the episode ends when the step is terminated or truncated.
        action = choose_action(Q, state, config.epsilon, rng)
        done = False
        while not done:
            next_state, reward, terminated, truncated, _ = env.step(action)
            episode_return += reward
            if method == "sarsa":
                next_action = choose_action(Q, next_state, config.epsilon, rng)
                sarsa_update(Q, state, action, reward, next_state, next_action, terminated, alpha, config.gamma)
            else:
                update(Q, state, action, reward, next_state, terminated, alpha, config.gamma)
                next_action = choose_action(Q, next_state, config.epsilon, rng)
            state, action = next_state, next_action
            done = terminated or truncated
        result.episode_returns.append(float(episode_return))
        curve.add_episode(episode_return)
        bar.update()
        if (episode + 1) % config.eval_every == 0:
            greedy = greedy_return(Q, eval_env, seed=seed, max_steps=config.eval_max_steps)
            result.eval_steps.append(env.steps)
            result.eval_returns.append(greedy)
            curve.eval_steps.append(env.steps)  # recorded; drawn with the next episode redraw
            curve.eval_returns.append(greedy)
            bar.set_postfix(greedy=f"{greedy:.0f}")
    curve.draw()
    bar.close()
    env.close()
    eval_env.close()
    result.steps = env.steps
    result.seconds = time.perf_counter() - start
    return result
