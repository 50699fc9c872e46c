# shellcheck shell=bash
# What the end-to-end scripts (scripts/e2e, scripts/e2e-ovs) share: a lab of their own shaped like
# inventories/example (NICs ens33/ens34, a sudo user 'stack'), the collection built into a tarball and installed
# outside this checkout, an inventory written from inventories/example/ (only the address ranges changed) with a
# fresh vault-encrypted secrets file, and ansible-playbook run from that directory (no ansible.cfg).
# The caller sets LAB, MGMT, PROVIDER and LOGS (and AMPHORA, the amphora network's range, for a lab with Octavia),
# then sources this file from the checkout's root.
ROOT=$PWD
export PATH="$ROOT/.venv/bin:$PATH"
WORK=$LOGS/work
rm -rf "$WORK" "$LOGS"/*.log
mkdir -p "$WORK"
INVENTORY=$WORK/inventory/hosts.yml
ARTIFACTS=$WORK/inventory/artifacts/hosts
SECRETS=$WORK/inventory/secrets.yml
VAULT_PASS=$WORK/vault-password
prefix() { python3 -c "import ipaddress,sys; n=ipaddress.ip_network(sys.argv[1]); print(str(n.network_address).rsplit('.', 1)[0])" "$1"; }
M=$(prefix "$MGMT")
P=$(prefix "$PROVIDER")
A=$([ -z "${AMPHORA:-}" ] || prefix "$AMPHORA")

e2e_teardown() {
    local rc=$?
    if [ "${E2E_KEEP:-0}" != 1 ]; then
        ANSIBLE_CONFIG=$ROOT/ansible.cfg ansible-playbook lab/playbooks/destroy.yml -e lab_name="$LAB" \
            > "$LOGS/lab_destroy.log" 2>&1 || { echo "e2e: lab teardown failed, see $LOGS/lab_destroy.log" >&2; rc=1; }
    fi
    exit $rc
}
trap e2e_teardown EXIT

# run NAME ARGS...: ansible-playbook from the user's directory (no ansible.cfg, the installed collection); log, recap
run() {
    local name=$1; shift
    echo "--- e2e: $name"
    if ! (cd "$WORK" && env -u ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATH="$WORK/collections" \
            ansible-playbook -i "$INVENTORY" --vault-password-file "$VAULT_PASS" "$@") > "$LOGS/$name.log" 2>&1; then
        tail -n 60 "$LOGS/$name.log"
        echo "e2e: $name failed; full log in $LOGS/$name.log" >&2
        return 1
    fi
    sed -n '/PLAY RECAP/,/^$/p' "$LOGS/$name.log"
}

# converged NAME: the run NAME changed nothing on any host
converged() {
    if sed -n '/PLAY RECAP/,/^$/p' "$LOGS/$1.log" | grep -E 'ok=' | grep -vqE 'changed=0 '; then
        echo "e2e: the run $1 changed something; see $LOGS/$1.log" >&2
        grep -E '^(changed|TASK)' "$LOGS/$1.log" | grep -B1 '^changed' >&2 || true
        return 1
    fi
}

# e2e_lab NODES: the lab, NODES a JSON list of {name, address, groups}
e2e_lab() {
    echo "--- e2e: lab $LAB ($MGMT, $PROVIDER${AMPHORA:+, $AMPHORA}) shaped like inventories/example"
    local amphora_net='' amphora_nic=''
    if [ -n "${AMPHORA:-}" ]; then
        amphora_net=', "amphora": {"cidr": "'"$AMPHORA"'"}'
        amphora_nic=', "amphora": "ens35"'
    fi
    ANSIBLE_CONFIG=$ROOT/ansible.cfg ansible-playbook lab/playbooks/create.yml -e lab_name="$LAB" -e "$(cat <<JSON
{"lab_networks": {"management": {"cidr": "$MGMT"}, "provider": {"cidr": "$PROVIDER"}$amphora_net},
 "lab_interfaces": {"management": "ens33", "provider": "ens34"$amphora_nic}, "lab_login_user": "stack",
 "lab_nodes": $1}
JSON
)" > "$LOGS/lab.log" 2>&1 || { tail -n 40 "$LOGS/lab.log"; return 1; }
    sed -n '/PLAY RECAP/,/^$/p' "$LOGS/lab.log"
}

e2e_collection() {
    echo "--- e2e: the collection, built and installed outside the checkout"
    ansible-galaxy collection build --output-path "$WORK" > "$LOGS/build.log"
    (cd "$WORK" && env -u ANSIBLE_CONFIG ansible-galaxy collection install --force -p "$WORK/collections" \
        "$WORK"/gureum-openstack-*.tar.gz) >> "$LOGS/build.log"
    tail -n 1 "$LOGS/build.log"
    [ -f "$WORK/collections/ansible_collections/gureum/openstack/playbooks/site.yml" ] ||
        { echo "e2e: the installed collection has no playbooks/site.yml" >&2; return 1; }
}

e2e_inventory() {
    echo "--- e2e: an inventory written from inventories/example/, for the lab's addresses"
    cp -r inventories/example "$WORK/inventory"
    sed -i "s/10\.0\.0\./$M./g; s/198\.51\.100\./$P./g; s#10\.0\.0\.0/24#$MGMT#; s#198\.51\.100\.0/24#$PROVIDER#" \
        "$WORK/inventory/hosts.yml" "$WORK/inventory/group_vars/all/"*.yml
    if [ -n "${AMPHORA:-}" ]; then
        # Octavia as the example's comments say: its amphora network's lines uncommented, octavia turned on
        sed -i "s/^    # amphora_network:/    amphora_network:/; s/^    #   cidr: 172\.31\.0\.0\/24/      cidr: $A.0\/24/;
                s/^    # amphora_interface: /    amphora_interface: /;
                s/^      # amphora_address: 172\.31\.0\./      amphora_address: $A./" "$WORK/inventory/hosts.yml"
        sed -i 's/^# openstack_catalog_overrides: {octavia: {default: true}}/openstack_catalog_overrides: {octavia: {default: true}}/' \
            "$WORK/inventory/group_vars/all/main.yml"
        grep -q "^      cidr: $A.0/24" "$WORK/inventory/hosts.yml" && grep -q '^    amphora_interface: ens35' "$WORK/inventory/hosts.yml" &&
            grep -q "^      amphora_address: $A.11" "$WORK/inventory/hosts.yml" &&
            grep -q '^openstack_catalog_overrides: {octavia' "$WORK/inventory/group_vars/all/main.yml" ||
            { echo "e2e: the example's Octavia lines were not where the e2e looks for them" >&2; return 1; }
    fi
    cat >> "$WORK/inventory/group_vars/all/main.yml" <<YAML

# Added by the e2e for its lab: the lab's key, the nodes' new host keys, and dpkg without fsync
ansible_ssh_private_key_file: /var/lib/gureum-lab/id_ed25519
ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
packages_unsafe_io: true
# the lab's nodes reach no NTP server but the controller
chrony_upstream_servers: []
YAML
    # A fresh secrets file, vault-encrypted: the deploy must generate every secret into it and keep it encrypted
    head -c 32 /dev/urandom | base64 > "$VAULT_PASS"
    chmod 0600 "$VAULT_PASS"
    printf '# secrets of the e2e cloud\n' > "$SECRETS"
    ansible-vault encrypt --vault-password-file "$VAULT_PASS" "$SECRETS" > /dev/null
    chmod 0600 "$SECRETS"
}
