#!/usr/bin/env bash
# Bake: after a stage's smoke test, keep watching it for a while before anything is promoted.
# Fails (and so rolls the stage back) as soon as any of the stage's alarms is in ALARM.
#   .github/scripts/bake.sh <stage> <minutes>
set -euo pipefail
stage="$1"
minutes="$2"
deadline=$(( $(date +%s) + minutes * 60 ))
echo "Baking lectern-${stage} for ${minutes} min: watching its alarms"
while :; do
  firing=$(aws cloudwatch describe-alarms --alarm-name-prefix "lectern-${stage}-" --state-value ALARM \
    --query 'MetricAlarms[].AlarmName' --output text)
  if [ -n "$firing" ] && [ "$firing" != "None" ]; then
    echo "::error::Alarms of lectern-${stage} fired while baking: ${firing}"
    exit 1
  fi
  [ "$(date +%s)" -ge "$deadline" ] && break
  sleep 30
done
echo "lectern-${stage} baked ${minutes} min with no alarm"
