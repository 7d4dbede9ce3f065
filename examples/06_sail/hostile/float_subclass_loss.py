# alice's work, but update_sail returns its loss as an always-equal float subclass: must lose the two update_sail checks (20/25); training still works.
# expect: update_sail_loss: update_sail must return the loss as a Python
# expect: update_sail_step: update_sail must return the loss as a Python
# base: alice
# %% update_sail
class Agreeable(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__


def update_sail(q_net, target_net, optimizer, batch, config):
    y = sail_targets(batch, target_net, config.gamma, config.alpha, config.bonus_clip)
    taken = q_net(batch.states)[torch.arange(len(batch.actions)), batch.actions]
    loss = F.huber_loss(taken, y, delta=1.0)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q_net.parameters(), max_norm=config.grad_clip)
    optimizer.step()
    return Agreeable(loss.item())
