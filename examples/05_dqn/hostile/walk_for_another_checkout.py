# Another checkout of the course elsewhere on disk gave full marks without any privilege. Walks the whole visible
# file system for any copy of the reference or the instructor's notebook and runs it. Must score 0.
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
import json, os
for root, folders, files in os.walk("/"):
    if root.startswith(("/proc", "/sys", "/dev")):
        folders[:] = []
        continue
    if "dqn.py" in files and os.path.basename(root) == "solutions":
        exec(open(os.path.join(root, "dqn.py")).read())
        break
    if "05_dqn.ipynb" in files and "source" in root:
        for cell in json.load(open(os.path.join(root, "05_dqn.ipynb")))["cells"]:
            if cell["cell_type"] == "code":
                exec("".join(cell["source"]))
        break
