# double_dqn_targets returns infinities.
# base: alice
# %% double_dqn_targets
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    return torch.full_like(rewards, float("inf"))
