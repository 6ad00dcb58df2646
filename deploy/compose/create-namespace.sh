#!/bin/sh
# Creates the namespace assessbridge runs in and registers the search attributes operators filter
# on in the Web UI (workflows.SearchAttributeNames; the starter also adds any that are missing).
# Safe to run on every `docker compose up`.
set -eu

: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:?}"
retention="${NAMESPACE_RETENTION:-720h}"

until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  echo "waiting for temporal at $TEMPORAL_ADDRESS"; sleep 2
done

if ! temporal operator namespace describe --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$retention" --address "$TEMPORAL_ADDRESS"
fi

# A fresh namespace needs a moment before it takes search attributes; retry until each is there.
for name in LeverAccountId LeverOpportunityId AssessmentId AssessmentStatus; do
  tries=0
  until temporal operator search-attribute list --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" | grep -qw "$name"; do
    tries=$((tries + 1))
    [ "$tries" -le 30 ] || { echo "search attribute $name not registered"; exit 1; }
    temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type Keyword \
      --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 || sleep 2
  done
done
echo "namespace $NAMESPACE ready"
