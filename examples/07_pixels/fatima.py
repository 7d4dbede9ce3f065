# Partly correct: history_slots never stops at the episode's first frame, so the first states of an episode reach
# into the previous episode's last frames. Catch episodes are 45 steps, so few sampled states are wrong.
# expect: history_slots_match_reference: gives the wrong slots
# expect: history_slots_other_histories: gives the wrong slots
# base: alice
# %% history_slots
def history_slots(last, frame_index, history, capacity):
    return (last[:, None] + np.arange(1 - history, 1)[None, :]) % capacity
