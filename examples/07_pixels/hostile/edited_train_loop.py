# bob's work (one bug: preprocess truncates) with the given train loop replaced by one that never trains and returns
# a network with hand-set weights, the check cells' points raised and the cells reversed: the grader runs its own
# copy of the given cells and reads points from the hidden checks, so this gets exactly bob's marks (24/27).
# expect: preprocess_matches_reference: pixels differ from the expected grey levels
# base: bob
# tamper: points check_update 1000
# tamper: reverse
# %% setup_4
def train(make_env, config, seed=0, show=False):
    net = PixelQNet(3, config.history, config.frame_size, config.convs, config.hidden)
    with torch.no_grad():
        for parameter in net.parameters():
            parameter.fill_(0.01)
    return TrainResult(q_net=net, steps=config.total_steps, best_eval_return=5.0)
