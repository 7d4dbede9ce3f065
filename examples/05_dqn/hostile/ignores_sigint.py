# Correct except that double_dqn_targets ignores SIGINT and spins forever: its checks time out.
# expect: double_dqn_targets: used more than 20 s of CPU time, many times wh
# base: alice
# %% double_dqn_targets
def double_dqn_targets(rewards, next_states, terminated, q_net, target_net, gamma):
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        pass
