# Entry points. Everything runs as root on a Debian 12 machine.
#   make cloud        install what is needed, build the local lab (5 nodes; STORAGE=no: 4), deploy the cloud onto it
#   make test         the whole test suite (what CI runs: .ci/run)
#   make lab | deploy | tempest | browser | diagnostics | port-scan | backup | restore | lab-destroy
#   make day2-rotation | day2-https | day2-reboot | day2-backup | day2-compute | faults
#   make lint | sanity | unit | offline | molecule | e2e | e2e-octavia | bench
LAB ?= lab
INVENTORY ?= inventories/lab/hosts-$(LAB).yml
export PATH := $(CURDIR)/.venv/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: cloud setup setup-test lab deploy tempest browser diagnostics port-scan backup restore lab-destroy
.PHONY: day2-rotation day2-https day2-reboot day2-backup day2-compute faults test lint sanity unit offline molecule e2e bench

cloud: lab deploy

setup:
	scripts/setup

setup-test:
	scripts/setup --test

lab: setup
	ansible-playbook lab/playbooks/create.yml -e lab_name=$(LAB) $(if $(filter no,$(STORAGE)),-e lab_with_storage=false)

deploy: setup
	ansible-playbook -i $(INVENTORY) site.yml

# Tempest's smoke tests against the lab's cloud (results in inventories/lab/artifacts/hosts-$(LAB)/tempest/)
tempest: setup
	ansible-playbook -i $(INVENTORY) playbooks/tempest.yml

# The dashboard in a real browser (Debian's chromium) against the lab's cloud: tests/browser, with the users of the
# lab's clouds.yaml; each page is saved as a PNG in inventories/lab/artifacts/hosts-$(LAB)/browser/
browser: setup-test
	python -m pytest -q -p no:cacheprovider tests/browser \
		--clouds-yaml inventories/lab/artifacts/hosts-$(LAB)/clouds.yaml \
		--output-dir inventories/lab/artifacts/hosts-$(LAB)/browser

# Every node's logs, configuration and states and the cloud's agent lists in one archive for a bug report, secrets
# masked: inventories/lab/artifacts/hosts-$(LAB)/diagnostics/diagnostics-<UTC time>.tar.gz (docs/diagnostics.md)
diagnostics: setup
	ansible-playbook -i $(INVENTORY) playbooks/diagnostics.yml

# Every node's TCP ports scanned from its peers: what answers must be what the catalog declares (docs/port-scan.md)
port-scan: setup
	ansible-playbook -i $(INVENTORY) playbooks/port_scan.yml

# Every database (one consistent snapshot), the secrets file, the keys and every node's configuration in one archive:
# inventories/lab/artifacts/hosts-$(LAB)/backups/backup-<UTC time>.tar.gz (docs/day2.md)
backup: setup
	ansible-playbook -i $(INVENTORY) playbooks/backup.yml

# Restore an archive of `make backup` into the same cloud: make restore BACKUP=path/to/backup-....tar.gz
restore: setup
	@test -n "$(BACKUP)" || { echo 'make restore: name the archive, BACKUP=path/to/backup-<time>.tar.gz'; exit 2; }
	ansible-playbook -i $(INVENTORY) playbooks/restore.yml -e backup=$(abspath $(BACKUP))

lab-destroy: setup
	ansible-playbook lab/playbooks/destroy.yml -e lab_name=$(LAB)

test: setup-test
	scripts/test all

lint sanity unit offline molecule e2e: setup-test
	scripts/test $@

# scripts/e2e with Octavia (E2E_OCTAVIA=1, about 60 min alone): the amphora network, demo-lb in front of demo-web01
# and demo-web02, verify's load-balancer check, the Load Balancers panel; not in make test (docs/octavia.md)
.PHONY: e2e-octavia
e2e-octavia: setup-test
	E2E_OCTAVIA=1 scripts/e2e

bench: setup
	scripts/bench

# The day-2 rotations (scripts/day2-rotation, also run by the e2e) against the lab's cloud: the Fernet keys twice and
# glance's password; logs in .cache/day2/. Run site.yml afterwards: it must report changed=0
day2-rotation: setup
	mkdir -p .cache/day2
	E2E_RUN_DIR=$(CURDIR) E2E_INVENTORY=$(INVENTORY) E2E_SECRETS=$(dir $(INVENTORY))secrets.yml E2E_VAULT_PASS= \
	    E2E_LOGS=$(CURDIR)/.cache/day2 OS_CLIENT_CONFIG_FILE=$(dir $(INVENTORY))artifacts/hosts-$(LAB)/clouds.yaml \
	    scripts/day2-rotation

# The lab's cloud switched from http to HTTPS (scripts/day2-https, ~12 min): openstack_public_scheme: https written
# into the lab's inventory, the whole site, verify over HTTPS, endpoints, dashboard, a second run changed=0; logs in
# .cache/day2/. `make lab` writes the inventory again (back to http on the next deploy).
day2-https: setup
	mkdir -p .cache/day2
	E2E_RUN_DIR=$(CURDIR) E2E_INVENTORY=$(INVENTORY) E2E_SECRETS=$(dir $(INVENTORY))secrets.yml E2E_VAULT_PASS= \
	    E2E_LOGS=$(CURDIR)/.cache/day2 E2E_ARTIFACTS=$(dir $(INVENTORY))artifacts/hosts-$(LAB) scripts/day2-https

# Every lab node powered off and booted again; the cloud must come back by itself with no Ansible run
# (scripts/day2-reboot; logs in .cache/day2/)
day2-reboot: setup
	LAB=$(LAB) INVENTORY=$(INVENTORY) scripts/day2-reboot

# A deploy on a fresh lab killed at three random points, then re-run plainly: it must converge and verify must pass
# (scripts/fault-killed-runs, ~40 min; logs in .cache/faults/)
faults: setup
	scripts/fault-killed-runs

# Backup and restore on the lab's cloud (scripts/day2-backup, run by hand): back up, drop every database, restore,
# verify, the day-1 resources compared; timings and sizes printed; logs in .cache/day2/
day2-backup: setup
	mkdir -p .cache/day2
	E2E_RUN_DIR=$(CURDIR) E2E_INVENTORY=$(INVENTORY) E2E_SECRETS=$(dir $(INVENTORY))secrets.yml E2E_VAULT_PASS= \
	    E2E_LOGS=$(CURDIR)/.cache/day2 OS_CLIENT_CONFIG_FILE=$(dir $(INVENTORY))artifacts/hosts-$(LAB)/clouds.yaml \
	    E2E_ARTIFACTS=$(dir $(INVENTORY))artifacts/hosts-$(LAB) scripts/day2-backup

# Grow and shrink the lab's cloud by one compute node (scripts/day2-compute, docs/day2.md): the lab gets compute3,
# add_compute (nothing restarts on the other nodes), a server pinned to compute3, remove_compute refused without
# migrate, then with migrate=true (the server live-migrated away, verify passes); logs in .cache/day2/. compute3's
# lab node stays until lab-destroy; the inventory is put back without it.
day2-compute: setup
	mkdir -p .cache/day2
	E2E_RUN_DIR=$(CURDIR) E2E_INVENTORY=$(INVENTORY) E2E_VAULT_PASS= E2E_LAB=$(LAB) E2E_ROOT=$(CURDIR) \
	    E2E_LOGS=$(CURDIR)/.cache/day2 OS_CLIENT_CONFIG_FILE=$(dir $(INVENTORY))artifacts/hosts-$(LAB)/clouds.yaml \
	    scripts/day2-compute
