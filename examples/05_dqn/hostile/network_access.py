# eval_dqn tries to reach the network before doing its (correct) job: no network, nothing else changes.
# expect: full marks
# base: alice
# %% eval_dqn
def eval_dqn(q_net, env, n_episodes=5, seed=None):
    import socket
    try:
        socket.create_connection(("pypi.org", 443), timeout=2).close()
        return np.zeros(n_episodes)  # with network access: sabotage, so the check would catch it
    except OSError:
        pass
    returns = []
    for episode in range(n_episodes):
        state, _ = env.reset(seed=None if seed is None else seed + episode)
        total, done = 0.0, False
        while not done:
            action = int(get_q(q_net, state[None])[0].argmax())
            state, reward, terminated, truncated, _ = env.step(action)
            total += reward
            done = terminated or truncated
        returns.append(total)
    return np.array(returns)
