# Partly correct: q_from_v forgets the terminal mask and bootstraps gamma * V(s') after transitions that
# end the episode too. Costs q_from_v. Value iteration still finds V* (a terminal state's value stays 0
# there), but greedy_policy, which the notebook asks to build on q_from_v, is checked with a V that is
# not 0 on terminal states, so it fails too (a cascade through q_from_v, as for carol).
# expect: q_from_v: a transition with terminated = True must add no gamma * V(s')
# base: alice (every other exercise cell is alice's)

# %% q_from_v
def q_from_v(P, V, gamma):
    Q = np.zeros((len(P), len(P[0])))
    for s in range(len(P)):
        for a in range(len(P[s])):
            for probability, next_state, reward, terminated in P[s][a]:
                Q[s, a] += probability * (reward + gamma * V[next_state])
    return Q
