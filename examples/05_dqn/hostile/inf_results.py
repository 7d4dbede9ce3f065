# double_dqn_targets returns infinities.
# expect: double_dqn_targets: double_dqn_targets's result contains NaN or i
# base: alice
# %% double_dqn_targets
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    return torch.full_like(rewards, float("inf"))
