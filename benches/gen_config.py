# gen_config.py N FILE: N `auths` entries in docker's format (tab-indented, keys
# sorted) with realistic hostnames; `registry.bench-target.example.com` is
# always one of them. Used by scaling.sh and logout.sh.
import base64, json, sys
n, path = int(sys.argv[1]), sys.argv[2]
regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1"]
def host(i):
    k = i % 6
    if k == 0: return f"{100000000000 + i * 7919 % 899999999999}.dkr.ecr.{regions[i % 5]}.amazonaws.com"
    if k == 1: return f"{regions[i % 5]}-docker.pkg.dev.proj-{i}.example"
    if k == 2: return f"harbor-{i}.ci.corp.example.com:{5000 + i % 1000}"
    if k == 3: return f"team{i}.azurecr.io"
    if k == 4: return f"mirror-{i:06d}.registry.example.net"
    return f"quay-{i}.apps.openshift.example.org"
auths = {"registry.bench-target.example.com": {"auth": base64.b64encode(b"target:s3cret-target").decode()}}
for i in range(max(n - 1, 0)):
    auths[host(i)] = {"auth": base64.b64encode(f"user{i}:pw-{i}-{i * 31337}".encode()).decode()}
cfg = {"auths": dict(sorted(auths.items())), "psFormat": "table {{.ID}}", "currentContext": "default"}
with open(path, "w") as f:
    f.write(json.dumps(cfg, indent="\t"))
