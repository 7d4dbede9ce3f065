# Loops forever: a leftover test loop at the end of the eval_dqn cell never ends.
# expect: eval_dqn_matches_reference: s of CPU time, many times what correct code needs
# expect: train_solves_cartpole: name 'eval_dqn' is not defined
# base: alice (every other exercise cell is alice's)

# %% eval_dqn
def eval_dqn(q_net, env, n_episodes=5, seed=None):
    totals = []
    for episode in range(n_episodes):
        observation, info = env.reset(seed=seed + episode if seed is not None else None)
        total, finished = 0.0, False
        while not finished:
            with torch.no_grad():
                q_values = q_net(torch.tensor(observation, dtype=torch.float32, device=device).unsqueeze(0))
            observation, reward, terminated, truncated, info = env.step(q_values.argmax().item())
            total += float(reward)
            finished = bool(terminated) or bool(truncated)
        totals.append(total)
    return np.array(totals)

episodes_seen = 0
while episodes_seen < 10:  # meant to count episodes, but never increments
    pass

