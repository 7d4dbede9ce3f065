# Correct except that soft_update first allocates 10 GB: the memory limit stops it.
# expect: soft_update: MemoryError
# expect: train_solves_cartpole: MemoryError
# base: alice
# %% soft_update
def soft_update(target_net, q_net, tau):
    hoard = bytearray(10 * 1024**3)
    with torch.no_grad():
        for target, online in zip(target_net.parameters(), q_net.parameters()):
            target.lerp_(online, tau)
