# Partly correct: preprocess truncates the grey levels (astype(uint8)) instead of rounding them, so about half the
# pixels are one level too dark. Only the comparison with the reference sees it; the agent still learns Catch.
# expect: preprocess_matches_reference: pixels differ from the expected grey levels
# base: alice
# %% preprocess
def preprocess(frame, size=84):
    grey = torch.from_numpy(np.asarray(frame, dtype=np.float32)) @ torch.tensor(GREY_WEIGHTS)
    return F.interpolate(grey[None, None], size=(size, size), mode="area")[0, 0].numpy().astype(np.uint8)
