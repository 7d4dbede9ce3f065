"""The instructor's gallery, opened the way an instructor would: in a real browser (headless
Chromium driven by Selenium). Its screenshot is kept in test-artifacts/gallery.png."""
import json
import time

import pytest

from conftest import REPO

@pytest.mark.slow
def test_gallery_lists_every_student_sorts_and_plays_videos(graded_examples, browser):
    page = graded_examples / "gallery.html"
    browser.get(page.as_uri())
    rows = browser.find_elements("css selector", "#gallery tbody tr")
    assert sorted(row.find_element("css selector", "td").text for row in rows) == sorted(
        folder.name for folder in (REPO / "examples" / "submitted").iterdir())

    browser.find_element("xpath", "//th[text()='total']").click()  # ascending
    browser.find_element("xpath", "//th[text()='total']").click()  # descending: best first
    totals = [float(cell.get_attribute("data-value")) for cell in
              browser.find_elements("css selector", "#gallery tbody tr td:nth-child(2)")]
    assert totals == sorted(totals, reverse=True) and totals[0] > totals[-1], totals
    first = browser.find_element("css selector", "#gallery tbody tr td").text
    assert first == "alice" or totals[1] == totals[0]

    videos = browser.find_elements("css selector", "video")
    assert len(videos) == len(list(graded_examples.glob("*/*/video.mp4"))) >= 2
    deadline = time.time() + 30  # every video's file is found and readable (preload="metadata")
    while time.time() < deadline:
        states = browser.execute_script("return [...document.querySelectorAll('video')].map(v => [v.readyState, v.error && v.error.code])")
        if all(state >= 1 for state, _ in states):
            break
        time.sleep(0.5)
    assert all(error is None and state >= 1 for state, error in states), f"a video failed to load: {states}"
    best = browser.find_elements("css selector", "#gallery tbody tr:first-child video")  # the top row's play
    assert best
    for video in best:
        browser.execute_script("arguments[0].play()", video)
    deadline = time.time() + 20
    while time.time() < deadline:
        played = browser.execute_script(
            "return [...document.querySelectorAll('#gallery tbody tr:first-child video')]"
            ".map(v => [v.readyState, v.currentTime, v.error && v.error.code])")
        if all(state >= 2 and current > 0.2 for state, current, _ in played):
            break
        time.sleep(0.5)
    assert all(error is None for _, _, error in played), f"a video failed to load: {played}"
    assert all(state >= 2 and current > 0.2 for state, current, _ in played), f"videos did not play: {played}"

    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    browser.save_screenshot(str(artifacts / "gallery.png"))
    assert (artifacts / "gallery.png").stat().st_size > 10_000


@pytest.mark.slow
def test_analytics_page_shows_what_the_class_missed(graded_examples, browser):
    """Per check of each assignment: passed / total as the results say, hardest first, and the failure messages a
    class of bugs leaves (carol's 1-D gather fails update's checks with an index error)."""
    browser.get((graded_examples / "gallery.html").as_uri())
    browser.find_element("link text", "what the class missed").click()
    assert browser.current_url.endswith("analytics.html")
    results = [json.loads(path.read_text()) for path in graded_examples.glob("*/05_dqn/result.json")]
    rows = browser.find_elements("css selector", "table[data-assignment='05_dqn'] tbody tr")
    assert len(rows) == len(results[0]["checks"])
    shares = []
    for row in rows:
        name = row.get_attribute("data-check")
        passed = sum(check["passed"] for result in results for check in result["checks"] if check["name"] == name)
        assert (int(row.get_attribute("data-passed")), int(row.get_attribute("data-total"))) == (passed, len(results))
        shares.append(passed / len(results))
    assert shares == sorted(shares) and shares[0] < shares[-1], shares
    update_loss = browser.find_element("css selector", "table[data-assignment='05_dqn'] tr[data-check='update_loss']")
    assert "Index tensor must have the same number of dimensions" in update_loss.text
    assert 'File "' not in update_loss.text  # the traceback frames are left out of the summary
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    browser.save_screenshot(str(artifacts / "analytics.png"))
    assert (artifacts / "analytics.png").stat().st_size > 10_000
