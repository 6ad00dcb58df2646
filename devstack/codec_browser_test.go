package devstack_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/assessbridge/assessbridge/devstack"
	"github.com/assessbridge/assessbridge/workflows"
)

// chromiumPath is where CI installs Chromium (apt package "chromium").
const chromiumPath = "/usr/bin/chromium"

// TestWebUIDecodesForSignedInAdmin runs the stack as production does, with a codec token (which
// the stock Web UI cannot send), and opens a finished journey in the embedded Web UI in headless
// Chromium: before signing in on the admin page the result stays encrypted; after, the UI
// decodes it through /codec with the admin's cookie.
func TestWebUIDecodesForSignedInAdmin(t *testing.T) {
	chromium, err := exec.LookPath(chromiumPath)
	if err != nil {
		t.Skipf("browser test skipped: no Chromium at %s (apt-get install chromium); CI installs it", chromiumPath)
	}
	ctx := context.Background()
	cfg := testConfig(t, t.TempDir())
	cfg.PublicURL = "http://" + cfg.HTTPAddr
	cfg.CodecToken = "codec-token-the-ui-does-not-have"
	s, err := devstack.Start(ctx, devstack.Options{Config: cfg, WithSims: true})
	if err != nil {
		t.Fatalf("start dev stack: %v", err)
	}
	defer s.Stop()

	// Alan carries the "Go Basics" tag; 30 of 40 is rated Strong Hire, a value only the
	// (encrypted) result holds.
	const opportunity, decoded = "cand-alan", "Strong Hire"
	if err := s.Sims.Lever.MoveToStage(ctx, devstack.DemoAccount, opportunity, devstack.DemoTriggerStage); err != nil {
		t.Fatal(err)
	}
	finish(t, s, s.Sims.Platform, devstack.DemoAccount, opportunity)
	id := workflows.WorkflowID(devstack.DemoAccount, opportunity)
	page := s.WorkflowURL(id) + "/" + s.Temporal.GetWorkflow(ctx, id, "").GetRunID() + "/history"

	bctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(bctx,
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // containers often have a tiny /dev/shm
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancelTab()

	// The page is done when it shows the run's result, decoded or not; then its text is judged.
	showResult := func() (string, error) {
		err := chromedp.Do(tab,
			chromedp.Navigate(page),
			chromedp.Poll[chromedp.Void](`(() => {
				const t = document.body.innerText;
				return t.includes("`+decoded+`") || (t.includes("Result") && (t.includes("binary/encrypted") || t.toLowerCase().includes("codec")));
			})()`, chromedp.WithPollingTimeout(60*time.Second)),
			chromedp.Sleep(2*time.Second), // let a pending decode land before judging
		)
		if err != nil {
			return "", err
		}
		return chromedp.Run(tab, chromedp.Evaluate[string](`document.body.innerText`))
	}

	text, err := showResult()
	if err != nil {
		t.Fatalf("open %s before signing in: %v", page, err)
	}
	if strings.Contains(text, decoded) {
		t.Errorf("before signing in: the UI shows %q, want the result still encrypted", decoded)
	}
	screenshot(t, tab, "ui-signed-out.png")

	err = chromedp.Do(tab,
		chromedp.Navigate(s.HTTPURL()+"/admin/login"),
		chromedp.SendKeys(chromedp.ID("password"), s.Config.AdminPassword),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("logout")),
	)
	if err != nil {
		t.Fatalf("sign in on the admin page: %v", err)
	}
	if text, err = showResult(); err != nil {
		t.Fatalf("open %s signed in: %v", page, err)
	}
	screenshot(t, tab, "ui-signed-in.png")
	if !strings.Contains(text, decoded) {
		t.Errorf("signed in: the UI does not show %q; page text:\n%.1500s", decoded, text)
	}
}

// screenshot keeps what the browser showed, for people and CI artifacts (gitignored).
func screenshot(t *testing.T, tab context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name), png, 0o644)
	}
}
