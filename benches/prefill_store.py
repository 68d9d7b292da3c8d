# prefill_store.py CONFIG DIR: fill docker-credential-benchfile's store DIR
# (one file per server) with every plaintext login of CONFIG, as the helper
# would have stored it. `migrate` then finds each login already there: one
# `get` per login, not get + store + get, and the helpers stop dominating the
# run (scaling.sh, migrate_lock.sh). What migrate does to config.json is the
# same either way.
import base64, json, os, sys

auths = json.load(open(sys.argv[1])).get("auths", {})
for url, entry in auths.items():
    if "auth" not in entry:
        continue
    user, _, secret = base64.b64decode(entry["auth"]).decode().partition(":")
    with open(os.path.join(sys.argv[2], url), "w") as f:
        f.write(json.dumps({"ServerURL": url, "Username": user, "Secret": secret}) + "\n")
