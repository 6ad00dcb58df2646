package admin

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is where CI installs Chromium (apt package "chromium").
const chromiumPath = "/usr/bin/chromium"

// screenshotPath is kept for people and CI artifacts; the directory is gitignored.
var screenshotPath = filepath.Join("testdata", "artifacts", "admin.png")

// TestBrowserJourney drives the admin page in headless Chromium the way an admin would: sign
// in, connect Lever through the (simulated) consent page, choose a trigger stage, refresh the
// catalogue and map a posting. Then it checks the outcome in the store and in Lever.
func TestBrowserJourney(t *testing.T) {
	chromium, err := exec.LookPath(chromiumPath)
	if err != nil {
		t.Skipf("browser test skipped: no Chromium at %s (apt-get install chromium); CI installs it", chromiumPath)
	}
	e := newEnv(t)
	e.addAccount(acct, false)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
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
		chromedp.WindowSize(1280, 900),
	)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancelTab()

	started := time.Now()
	notice := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(chromedp.Search(`//div[contains(@class,"notice") and contains(., "` + text + `")]`))
	}
	steps := []struct {
		name    string
		actions []chromedp.Action[chromedp.Void]
	}{
		{"sign in", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(e.url + Prefix + "/login"),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.Click(chromedp.ID("login")),
			chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/accounts/` + acct + `"]`)),
			chromedp.Click(chromedp.CSS(`a[href="/admin/accounts/` + acct + `"]`)),
			chromedp.WaitVisible(chromedp.ID("connect")),
		}},
		{"connect through Lever's consent page", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("connect")),
			chromedp.WaitVisible(chromedp.ID("allow")),
			chromedp.Click(chromedp.ID("allow")),
			notice("Connected to Lever."),
		}},
		{"choose a trigger stage", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("stage-" + stageB)),
			chromedp.Click(chromedp.ID("save-stages")),
			notice("Saved 1 trigger stage(s)."),
		}},
		{"refresh the catalogue", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("refresh-catalogue")),
			notice("Catalogue refreshed: 2 assessment(s)."),
		}},
		{"map a posting", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.ID("map-"+postingID), assessmentID),
			chromedp.Click(chromedp.ID("save-map-" + postingID)),
			notice("Posting mapped to Go Basics."),
		}},
	}
	for _, s := range steps {
		if err := chromedp.Do(tab, s.actions...); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	shot, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(screenshotPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screenshotPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("browser journey took %v; screenshot in %s", time.Since(started).Round(time.Millisecond), screenshotPath)

	a := e.account(acct)
	if a.Status != "connected" || a.RefreshToken == "" {
		t.Errorf("got status %q with refresh token %v, want connected with one", a.Status, a.RefreshToken != "")
	}
	if got, want := a.TriggerStages, []string{stageB}; !slices.Equal(got, want) {
		t.Errorf("got trigger stages %q, want %q", got, want)
	}
	if got, err := e.store.AssessmentForPosting(context.Background(), acct, postingID); err != nil || got != assessmentID {
		t.Errorf("got mapping %q (%v), want %q", got, err, assessmentID)
	}
	hooks := e.ourHooks()
	for _, event := range ourEvents {
		if len(hooks[event]) != 1 || !slices.Contains(a.WebhookTokens, hooks[event][0].SignatureToken) {
			t.Errorf("event %s: got webhooks %+v, want one whose token the account holds", event, hooks[event])
		}
	}
}
