# One bug in flush_episode: the episode buffer is never cleared, so every flush pushes all the earlier
# episodes' transitions again. Must cost flush_episode_moves_transitions_with_returns and
# flush_episode_empties_and_wraps. It also costs train_sail_flushes_truncated_episodes and
# train_sail_terminations_and_episode_returns, whose probe runs the student's (correct) train_sail with the
# student's flush_episode (on purpose, see probes_sail.train_storage): a grader defect under "one bug, one
# deduction", recorded as the grader does it. The end-to-end check still passes.
# base: alice (every other exercise cell is alice's)

# %% flush_episode
def flush_episode(episode_buffer, replay_buffer, gamma):
    returns = get_episode_returns(episode_buffer.rewards, gamma)
    transitions = zip(episode_buffer.states, episode_buffer.actions, episode_buffer.rewards,
                      episode_buffer.next_states, episode_buffer.terminated, returns)
    for s, a, r, s2, done, g in transitions:
        replay_buffer.push(s, a, r, s2, done, float(g))
