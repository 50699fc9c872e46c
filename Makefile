# Entry points. Everything runs as root on a Debian 12 machine.
#   make cloud        install what is needed, build the local lab, deploy the cloud onto it
#   make test         the whole test suite (what CI runs: .ci/run)
#   make lab | deploy | tempest | browser | diagnostics | port-scan | day2-rotation | day2-compute | lab-destroy
#   make lint | sanity | unit | offline | molecule | e2e | bench
LAB ?= lab
INVENTORY ?= inventories/lab/hosts-$(LAB).yml
export PATH := $(CURDIR)/.venv/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: cloud setup setup-test lab deploy tempest browser diagnostics port-scan day2-rotation day2-compute lab-destroy test lint sanity unit offline molecule e2e bench

cloud: lab deploy

setup:
	scripts/setup

setup-test:
	scripts/setup --test

lab: setup
	ansible-playbook lab/playbooks/create.yml -e lab_name=$(LAB)

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

lab-destroy: setup
	ansible-playbook lab/playbooks/destroy.yml -e lab_name=$(LAB)

test: setup-test
	scripts/test all

lint sanity unit offline molecule e2e: setup-test
	scripts/test $@

bench: setup
	scripts/bench

# The day-2 rotations (scripts/day2-rotation, also run by the e2e) against the lab's cloud: the Fernet keys twice and
# glance's password; logs in .cache/day2/. Run site.yml afterwards: it must report changed=0
day2-rotation: setup
	mkdir -p .cache/day2
	E2E_RUN_DIR=$(CURDIR) E2E_INVENTORY=$(INVENTORY) E2E_SECRETS=$(dir $(INVENTORY))secrets.yml E2E_VAULT_PASS= \
	    E2E_LOGS=$(CURDIR)/.cache/day2 OS_CLIENT_CONFIG_FILE=$(dir $(INVENTORY))artifacts/hosts-$(LAB)/clouds.yaml \
	    scripts/day2-rotation

# Grow and shrink the lab's cloud by one compute node (scripts/day2-compute, docs/day2.md): the lab gets compute3,
# add_compute (nothing restarts on the other nodes), a server pinned to compute3, remove_compute refused without
# migrate, then with migrate=true (the server live-migrated away, verify passes); logs in .cache/day2/. compute3's
# lab node stays until lab-destroy; the inventory is put back without it.
day2-compute: setup
	mkdir -p .cache/day2
	E2E_RUN_DIR=$(CURDIR) E2E_INVENTORY=$(INVENTORY) E2E_VAULT_PASS= E2E_LAB=$(LAB) E2E_ROOT=$(CURDIR) \
	    E2E_LOGS=$(CURDIR)/.cache/day2 OS_CLIENT_CONFIG_FILE=$(dir $(INVENTORY))artifacts/hosts-$(LAB)/clouds.yaml \
	    scripts/day2-compute
