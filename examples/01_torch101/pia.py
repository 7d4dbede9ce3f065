# Partly correct: build_mlp puts an activation after every Linear layer, the output layer included, so a
# ReLU output can never be negative; costs build_mlp_structure and build_mlp_outputs (the end-to-end
# curve fit uses the grader's own network, not build_mlp).
# expect: build_mlp_structure: (no activation after the last Linear layer)
# expect: build_mlp_outputs: the outputs of build_mlp([4, 32, 2], nn.ReLU) with the same weights differs
# base: alice (every other exercise cell is alice's)

# %% build_mlp
def build_mlp(sizes, activation=nn.ReLU):
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append(nn.Linear(n_in, n_out))
        layers.append(activation())
    return nn.Sequential(*layers)
