# Partly correct: preprocess first turns the screen from BGR to RGB in place (an OpenCV habit; gymnasium's screens
# are RGB already), so it writes into the caller's array and weighs red and blue the wrong way round.
# expect: preprocess_matches_reference: pixels differ from the expected grey levels
# expect: preprocess_leaves_the_screen_alone: preprocess changed the screen passed to it
# base: alice
# %% preprocess
def preprocess(frame, size=84):
    frame[...] = frame[..., ::-1].copy()  # BGR -> RGB
    grey = torch.from_numpy(frame.astype(np.float32)) @ torch.tensor(GREY_WEIGHTS)
    return F.interpolate(grey[None, None], size=(size, size), mode="area")[0, 0].round().to(torch.uint8).numpy()
