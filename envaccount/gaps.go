package envaccount

import "github.com/assessbridge/assessbridge/store"

// Gaps lists what the stored environment account still lacks for a candidate's whole journey,
// each naming the variable that fills it. They are warnings, not errors: an admin page may fill
// them instead.
func Gaps(a store.Account) []string {
	var gaps []string
	if len(a.WebhookTokens) == 0 {
		gaps = append(gaps, "no ASSESSBRIDGE_LEVER_WEBHOOK_TOKENS: every Lever webhook is refused (401) until the webhooks' signature tokens are set")
	}
	if len(a.TriggerStages) == 0 {
		gaps = append(gaps, "no ASSESSBRIDGE_TRIGGER_STAGES: no stage change starts an assessment")
	}
	if a.PerformAs == "" {
		gaps = append(gaps, "no ASSESSBRIDGE_PERFORM_AS: Lever refuses feedback forms without a user to post them as")
	}
	return gaps
}
