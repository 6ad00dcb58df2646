package admin

import (
	"net/http"
	"unicode/utf8"
)

// Notice kinds, also used as CSS classes.
const (
	kindOK    = "ok"
	kindError = "error"
	kindInfo  = "info"
)

// notice is a message shown once at the top of the next page (flash), or on the page itself.
type notice struct {
	Kind string `json:"k"`
	Text string `json:"t"`
}

// maxNoticeLen keeps flash cookies far below the browsers' 4 KiB limit.
const maxNoticeLen = 400

// flash stores notices for the next page the browser loads (after a 303).
func (h *handler) flash(w http.ResponseWriter, notices ...notice) {
	short := make([]notice, 0, len(notices))
	for _, n := range notices {
		if len(n.Text) > maxNoticeLen {
			cut := maxNoticeLen
			for cut > 0 && !utf8.RuneStart(n.Text[cut]) {
				cut--
			}
			n.Text = n.Text[:cut] + "…"
		}
		short = append(short, n)
	}
	if err := h.setCookie(w, flashCookie, purposeFlash, short, flashTTL); err != nil {
		h.log.Warn("flash not stored")
	}
}

// takeFlash returns the pending notices and clears them.
func (h *handler) takeFlash(w http.ResponseWriter, r *http.Request) []notice {
	if _, err := r.Cookie(flashCookie); err != nil {
		return nil
	}
	var notices []notice
	h.readCookie(r, flashCookie, purposeFlash, &notices)
	h.clearCookie(w, flashCookie)
	return notices
}

func success(text string) notice { return notice{Kind: kindOK, Text: text} }
func failure(text string) notice { return notice{Kind: kindError, Text: text} }
func hint(text string) notice    { return notice{Kind: kindInfo, Text: text} }
