"""The web app in a real headless Chromium, against a real `defuse serve`.

Signs in, opens an escalation, logs the call and three commitments, checks that the page
shows the clocks and the new state, and saves screenshots of the board and the escalation
page under test-output/. usage: browser_test.py PATH_TO_DEFUSE OUTPUT_DIR
"""
import os, struct, subprocess, sys, tempfile, time, urllib.request, zlib
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

defuse, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
work = tempfile.mkdtemp()
db = os.path.join(work, "browser.db")
port = "18391"
passed = failed = 0

def run(*args, stdin=None):
    p = subprocess.run([defuse, "--db", db, *args], input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"setup failed: defuse {' '.join(args)}: {p.stderr}")
    return p.stdout

def submit_and_wait(driver, button):
    """Click a submit button and wait for the next page, even when it has the same URL."""
    driver.execute_script("window.__defuseOldPage = true")
    button.click()
    def loaded(d):
        try:
            return d.execute_script("return !window.__defuseOldPage && document.readyState === 'complete'")
        except Exception:
            return False
    WebDriverWait(driver, 15).until(loaded)

def check(name, ok):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {name}")

run("demo", "--accounts", "400", "--csv", os.path.join(work, "data"))
run("user", "add", "kim", "--role", "csm", "--password-stdin", stdin="a long password\n")
server = subprocess.Popen([defuse, "--db", db, "serve", "--port", port], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"
for _ in range(50):
    try:
        urllib.request.urlopen(base + "/healthz", timeout=1)
        break
    except Exception:
        time.sleep(0.1)

def chromium(width, height):
    """Debian's headless Chromium through its chromedriver, at a window size."""
    opts = Options()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}"]:
        opts.add_argument(a)
    opts.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)

driver = chromium(1280, 1000)
try:
    driver.get(base + "/")
    check("an anonymous visit lands on the login page", driver.current_url.endswith("/login"))
    driver.find_element(By.NAME, "user").send_keys("kim")
    driver.find_element(By.NAME, "password").send_keys("a long password")
    # A click that submits a form does not wait for the next page.
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form button"))
    check("signed in, the board shows", "Board" in driver.find_element(By.TAG_NAME, "h1").text)
    driver.save_screenshot(os.path.join(out, "board.png"))

    driver.get(base + "/escalations/new")
    account = "D-000001"
    driver.find_element(By.NAME, "account_id").send_keys(account)
    Select(driver.find_element(By.NAME, "channel")).select_by_value("twitter")
    driver.find_element(By.NAME, "text").send_keys("Third outage this month. We are posting the whole thread.")
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button"))
    check("opening leads to the escalation page", "/escalations/E-" in driver.current_url)
    page = driver.current_url

    def log(event, **fields):
        driver.get(page)
        form = driver.find_element(By.ID, "log-event")
        Select(form.find_element(By.NAME, "event")).select_by_value(event)
        for name, value in fields.items():
            el = form.find_element(By.NAME, name)
            if el.tag_name == "select":
                Select(el).select_by_value(value)
            elif el.get_attribute("type") == "date":
                driver.execute_script("arguments[0].value = arguments[1]", el, value)
            else:
                el.send_keys(value)
        submit_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button"))
        errors = driver.find_elements(By.CSS_SELECTOR, "p.error")
        check(f"{event} logged without an error", not errors)

    log("call_start")
    # Share the customer's page, and open it on a phone while the call runs.
    driver.get(page)
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/share'] button"))
    link = driver.find_element(By.ID, "share-link").get_attribute("value")
    check("a share link is shown on the escalation page", "/s/s" in link)
    phone = chromium(390, 844)
    try:
        phone.get(link)
        check("the link points at this server", link.startswith(base + "/s/"))
        phone.execute_script("window.__sameDocument = true")
        check("the share page opens without a login", "What we heard" in phone.find_element(By.TAG_NAME, "body").text)
        # The listen note from the call guide, with its timer running.
        driver.get(page)
        timer = driver.find_element(By.CSS_SELECTOR, "[data-phase='listen'] button.timer")
        timer.click()
        time.sleep(1.2)
        check("the listen timer counts down", timer.text.startswith("9:5") and "running" in timer.get_attribute("class"))
        guide = driver.find_element(By.CSS_SELECTOR, "[data-phase='listen'] form")
        guide.find_element(By.NAME, "what_broke").send_keys("Exports time out")
        guide.find_element(By.NAME, "need_now").send_keys("The board pack by Friday")
        submit_and_wait(driver, guide.find_element(By.CSS_SELECTOR, "button"))
        check("the note is logged from the guide", "1 note" in driver.find_element(By.CSS_SELECTOR, "[data-phase='listen'] h3").text)
        check("the timer survives the reload", "running" in driver.find_element(By.CSS_SELECTOR, "[data-phase='listen'] button.timer").get_attribute("class"))
        driver.save_screenshot(os.path.join(out, "call-guide.png"))
        for i, due in enumerate(["2030-01-10", "2030-01-11", "2030-01-12"], 1):
            log("commitment", text=f"Commitment {i}", owner="kim@example.com", due=due)
        def shows_all(d):
            text = d.find_element(By.TAG_NAME, "body").text
            return "Exports time out" in text and "Commitment 3" in text
        try:
            WebDriverWait(phone, 15).until(shows_all)
            appeared = True
        except Exception:
            appeared = False
        check("the note and the commitments appear on the customer's page by themselves", appeared)
        check("...without a reload", phone.execute_script("return window.__sameDocument === true"))
        check("nothing internal: no internal links", not phone.find_elements(By.CSS_SELECTOR, "a[href^='/']"))
        phone.save_screenshot(os.path.join(out, "share-phone.png"))
    finally:
        phone.quit()
    log("call_end")

    # Evidence: a screenshot of the public post, filed from the page.
    def png(w, h):
        raw = b"".join(b"\0" + bytes([41, 82, 204]) * (w // 2) + bytes([246, 247, 249]) * (w - w // 2) for _ in range(h))
        chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    shot = os.path.join(work, "public-post.png")
    with open(shot, "wb") as f:
        f.write(png(320, 200))
    driver.get(page)
    driver.find_element(By.ID, "evidence-file").send_keys(shot)
    driver.find_element(By.ID, "evidence-note").send_keys("The thread on X")
    driver.execute_script("window.__defuseOldPage = true")
    driver.find_element(By.ID, "evidence-send").click()
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return !window.__defuseOldPage && document.readyState === 'complete'"))
    thumbs = driver.find_elements(By.CSS_SELECTOR, "#evidence img")
    check("the evidence thumbnail shows", len(thumbs) == 1 and driver.execute_script("return arguments[0].naturalWidth", thumbs[0]) == 320)
    driver.get(page)
    body = driver.find_element(By.TAG_NAME, "body").text
    for clock in ["acknowledge", "triage_call", "recap", "status_update", "commitment:1", "commitment:2", "commitment:3"]:
        check(f"the page shows the {clock} clock", clock in body)
    check("the flow lights the call", driver.find_element(By.CSS_SELECTOR, ".flow .now").text == "triage call")
    countdowns = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "time.countdown")]
    check("countdowns are live (the script ran)", any(t.startswith("in ") or t.endswith(" late") for t in countdowns))
    driver.save_screenshot(os.path.join(out, "escalation.png"))
    driver.set_window_size(390, 844)
    driver.get(page)
    driver.save_screenshot(os.path.join(out, "escalation-phone.png"))
finally:
    driver.quit()
    server.terminate()
    server.wait(timeout=10)

print(f"browser: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
