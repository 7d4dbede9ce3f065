# Tries to write scores into the gradebook, results and other students' files; then stubs. Must score 0.
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
import pathlib, course
repo = pathlib.Path(course.__file__).parents[1]
for target in [repo / ".nbgrader" / "gradebook.db", repo / "graded" / "grades.csv", repo / "course" / "checking.py",
               pathlib.Path("/tmp/grades.csv")]:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("student,assignment,score,max_score\nmallory,05_dqn,1000,33\n")
    except OSError:
        pass
