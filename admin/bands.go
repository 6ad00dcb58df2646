package admin

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/assessbridge/assessbridge/store"
	"github.com/assessbridge/assessbridge/workflows/rating"
)

// bandsForm is the rating-bands table as shown: the rows as typed, so a rejected form comes
// back with the admin's input, plus one blank row for adding.
type bandsForm struct {
	Rows      []bandRow
	IsDefault bool // nothing saved: the defaults are shown
	Error     string
}

type bandRow struct {
	Min, Rating, Label string
}

// Ratings offered in the rating <select>, with Lever's default option texts.
var ratingChoices = []struct{ Value, Text string }{
	{"1", "1 - Strong No Hire"}, {"2", "2 - No Hire"}, {"3", "3 - Hire"}, {"4", "4 - Strong Hire"},
}

// RatingChoices is for the template.
func (bandsForm) RatingChoices() []struct{ Value, Text string } { return ratingChoices }

// storedBands is the form for what the store holds, or the defaults when nothing is saved.
func (h *handler) storedBands(ctx context.Context, accountID string) (bandsForm, error) {
	bands, err := h.deps.Store.RatingBands(ctx, accountID)
	if err != nil {
		return bandsForm{}, err
	}
	f := bandsForm{}
	if len(bands) == 0 {
		f.IsDefault = true
		for _, b := range rating.DefaultBands() {
			bands = append(bands, store.Band{MinPercent: b.MinPercent, Rating: b.Rating, Label: b.Label})
		}
	}
	for _, b := range bands {
		f.Rows = append(f.Rows, bandRow{Min: strconv.FormatFloat(b.MinPercent, 'f', -1, 64), Rating: strconv.Itoa(b.Rating), Label: b.Label})
	}
	f.Rows = append(f.Rows, bandRow{})
	return f, nil
}

// saveBands handles the bands form's three buttons: save, add a row, reset to defaults.
func (h *handler) saveBands(w http.ResponseWriter, r *http.Request) {
	a, found := h.account(w, r)
	if !found {
		return
	}
	back := accountPath(a.ID) + "#bands"
	switch r.PostForm.Get("action") {
	case "defaults":
		if err := h.deps.Store.SetRatingBands(r.Context(), a.ID, nil); err != nil {
			h.internalError(w, r, err)
			return
		}
		h.log.Info("admin reset rating bands", zap.String("account_id", a.ID))
		h.flash(w, success("Rating bands reset to the defaults."))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	case "add":
		form, _ := parseBandRows(r)
		form.Rows = append(form.Rows, bandRow{}, bandRow{})
		h.renderAccount(w, r, http.StatusOK, a, pageForms{bands: form}, nil)
		return
	}
	form, bands := parseBandRows(r)
	if form.Error == "" {
		if err := rating.Validate(bands); err != nil {
			form.Error = strings.TrimPrefix(err.Error(), "rating bands: ") + "."
		}
	}
	if form.Error != "" {
		form.Rows = append(form.Rows, bandRow{})
		h.renderAccount(w, r, http.StatusUnprocessableEntity, a, pageForms{bands: form}, []notice{failure("Rating bands not saved: " + form.Error)})
		return
	}
	stored := make([]store.Band, 0, len(bands))
	for _, b := range bands {
		stored = append(stored, store.Band{MinPercent: b.MinPercent, Rating: b.Rating, Label: b.Label})
	}
	slices.SortFunc(stored, func(x, y store.Band) int { return cmp.Compare(x.MinPercent, y.MinPercent) })
	if err := h.deps.Store.SetRatingBands(r.Context(), a.ID, stored); err != nil {
		h.internalError(w, r, err)
		return
	}
	h.log.Info("admin saved rating bands", zap.String("account_id", a.ID), zap.Int("bands", len(stored)))
	h.flash(w, success(fmt.Sprintf("Saved %d rating band(s).", len(stored))))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// parseBandRows reads the rows (blank and removed ones dropped) and converts them. A row
// that does not parse sets form.Error, naming the row as the admin sees it.
func parseBandRows(r *http.Request) (bandsForm, []rating.Band) {
	mins, ratings, labels := r.PostForm["min"], r.PostForm["rating"], r.PostForm["label"]
	var form bandsForm
	if len(mins) != len(ratings) || len(mins) != len(labels) {
		form.Error = "the form is incomplete; reload the page"
		return form, nil
	}
	removed := r.PostForm["remove"]
	var bands []rating.Band
	for i := range mins {
		row := bandRow{Min: strings.TrimSpace(mins[i]), Rating: strings.TrimSpace(ratings[i]), Label: strings.TrimSpace(labels[i])}
		if slices.Contains(removed, strconv.Itoa(i)) || (row.Min == "" && row.Label == "") {
			continue
		}
		form.Rows = append(form.Rows, row)
		if form.Error != "" {
			continue
		}
		n := len(form.Rows)
		pct, err := strconv.ParseFloat(row.Min, 64)
		if err != nil {
			form.Error = fmt.Sprintf("row %d: the minimum must be a number from 0 to 100", n)
			continue
		}
		score, err := strconv.Atoi(row.Rating)
		if err != nil {
			form.Error = fmt.Sprintf("row %d: choose a rating from 1 to 4", n)
			continue
		}
		bands = append(bands, rating.Band{MinPercent: pct, Rating: score, Label: row.Label})
	}
	return form, bands
}
