# alice's work with setup cells edited (chain, lake model, an evaluate_policy that always wins), checks replaced, renamed, points raised: must get exactly alice's marks (30/30).
# expect: full marks
# base: alice
# tamper: rename check_value_iteration value_iteration
# tamper: points gamma_policy_change 1000
# %% setup_2
BOOK_CHAIN = np.eye(4)

# %% setup_4
ACTION_NAMES = ["left", "down", "right", "up"]


def lake_model(env):
    return {s: {a: [(1.0, 15, 1.0, True)] for a in range(4)} for s in range(16)}, 16, 4


def evaluate_policy(env, policy, n_episodes, seed):
    return np.ones(n_episodes)

# %% check_value_iteration
print("value_iteration looks right.")

# %% check_greedy_policy
print("greedy_policy looks right.")
