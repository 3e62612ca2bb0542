#!/bin/sh
# Watch dual-write's live sync on an applied scenario: serve the scenario's emulated pair, create a
# customer in F&O through its OData API, and read it back from Dataverse's Web API, where the running
# customers map has already written it. Needs curl.
#
#   cd examples/scenarios/3-demo-new
#   dwctl apply -auto-approve
#   ../watch-live-sync.sh USMF            # a company the scenario links
set -eu
company=${1:?usage: watch-live-sync.sh COMPANY (a company the scenario links, e.g. USMF)}
dwctl=${DWCTL:-dwctl}
data=.dwctl/emulator/scenario
[ -d "$data" ] || { echo "no emulated pair in $data: run dwctl apply here first" >&2; exit 1; }

info=$(mktemp)
"$dwctl" emulator serve -data "$data" >"$info" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$info"' EXIT
while [ ! -s "$info" ]; do sleep 0.1; done

field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" "$info"; }
dv=$(field dataverse_url) fo=$(field finops_url) auth=$(field authority_url) tenant=$(field tenant_id)
id=$(field client_id) secret=$(field client_secret) ca=$(field ca_file)
token() {
  curl -s --cacert "$ca" -d grant_type=client_credentials -d client_id="$id" --data-urlencode client_secret="$secret" \
    -d scope="$1/.default" "$auth/$tenant/oauth2/v2.0/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
area=$(echo "$company" | tr '[:upper:]' '[:lower:]')
account="LIVE-$(date +%H%M%S)"

echo "F&O: creating customer $account in $company and its customer group LIVE"
curl -sf --cacert "$ca" -H "Authorization: Bearer $(token "$fo")" -H 'Content-Type: application/json' \
  -d "{\"dataAreaId\":\"$area\",\"CustomerGroupId\":\"LIVE\",\"Description\":\"Made live\"}" \
  "$fo/data/CustomerGroups?cross-company=true" >/dev/null || true
curl -sf --cacert "$ca" -H "Authorization: Bearer $(token "$fo")" -H 'Content-Type: application/json' \
  -d "{\"dataAreaId\":\"$area\",\"CustomerAccount\":\"$account\",\"OrganizationName\":\"Made live in F&O\",\"PartyType\":\"Organization\",\"CustomerGroupId\":\"LIVE\"}" \
  "$fo/data/CustomersV3?cross-company=true" >/dev/null

echo "Dataverse: the account dual-write wrote in the same request:"
curl -sf --cacert "$ca" -H "Authorization: Bearer $(token "$dv")" \
  "$dv/api/data/v9.2/accounts?\$select=accountnumber,name,_msdyn_company_value&\$filter=accountnumber%20eq%20'$account'"
echo
