# One bug in flush_episode: the episode buffer is never cleared, so every flush pushes all the earlier
# episodes' transitions again. Costs flush_episode_moves_transitions_with_returns and
# flush_episode_empties_and_wraps only: train_sail's storage checks run with a grader stand-in for
# flush_episode (autograder/06_sail/probes.py, train_storage). The end-to-end check still passes.
# expect: flush_episode_moves_transitions_with_returns: the replay buffer holds 37 transitions (next slot 37), expected 18
# expect: flush_episode_empties_and_wraps: call episode_buffer.clear()
# base: alice (every other exercise cell is alice's)

# %% flush_episode
def flush_episode(episode_buffer, replay_buffer, gamma):
    returns = get_episode_returns(episode_buffer.rewards, gamma)
    transitions = zip(episode_buffer.states, episode_buffer.actions, episode_buffer.rewards,
                      episode_buffer.next_states, episode_buffer.terminated, returns)
    for s, a, r, s2, done, g in transitions:
        replay_buffer.push(s, a, r, s2, done, float(g))
