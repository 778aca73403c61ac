#!/usr/bin/env python3
"""nagios_model.py — what Nagios would run, for tests/import_nagios.

    nagios_model.py gen DIR N          write a Nagios configuration of N
                                       hosts into DIR (DIR/nagios.cfg)
    nagios_model.py compare CFG HOST EXPLAIN
                                       run each check of HOST as Nagios
                                       would (its command line through
                                       /bin/sh) and as vigil's --explain
                                       says (the argv, no shell); print
                                       "same|differ SERVICE RC RC OUTPUT"
    nagios_model.py commands CFG HOST  print, per check of HOST, a line
                                       "SERVICE<TAB>COMMAND LINE" (the host
                                       check: SERVICE "-"), as Nagios 4
                                       would run it: templates resolved,
                                       $USERn$, $HOSTADDRESS$, $HOSTNAME$,
                                       $SERVICEDESC$, $_HOSTvar$ and $ARGn$
                                       put in, a service of a host named
                                       for it winning over a hostgroup's

A model of Nagios's own rules, written apart from vigil's importer so that
the test compares two readings of the same files. Standard library only.
"""
import os
import re
import sys


def read_objects(path, objs, seen):
    if path in seen:
        return
    seen.add(path)
    cur = None
    with open(path) as f:
        for line in f:
            s = line.strip()
            if not s or s.startswith('#'):
                continue
            s = re.sub(r'(?<!\\);.*', '', s).strip()
            if not s:
                continue
            if cur is None:
                m = re.match(r'define\s+(\w+)\s*\{', s)
                if m:
                    cur = {'_type': m.group(1)}
                continue
            if s.startswith('}'):
                objs.append(cur)
                cur = None
                continue
            parts = s.split(None, 1)
            cur[parts[0]] = parts[1].strip() if len(parts) > 1 else ''


def read_main(cfg):
    objs, seen, users = [], set(), {}
    base = os.path.dirname(cfg)
    for line in open(cfg):
        line = line.strip()
        if '=' not in line or line.startswith('#'):
            continue
        k, v = line.split('=', 1)
        p = v if v.startswith('/') else os.path.join(base, v)
        if k == 'cfg_file':
            read_objects(p, objs, seen)
        elif k == 'cfg_dir':
            for root, _, files in sorted(os.walk(p)):
                for n in sorted(files):
                    if n.endswith('.cfg'):
                        read_objects(os.path.join(root, n), objs, seen)
        elif k == 'resource_file':
            for rl in open(p):
                m = re.match(r'\s*\$(USER\d+)\$\s*=\s*(.*)$', rl)
                if m:
                    users[m.group(1)] = m.group(2).strip()
    return objs, users


def resolve(o, objs, depth=0):
    if '_resolved' in o or depth > 20:
        return o
    out = {}
    for t in [x.strip() for x in o.get('use', '').split(',') if x.strip()]:
        tpl = next((x for x in objs if x['_type'] == o['_type'] and
                    x.get('name') == t), None)
        if tpl is None:
            continue
        resolve(tpl, objs, depth + 1)
        for k, v in tpl.items():
            if k in ('name', 'register', 'use', '_resolved'):
                continue
            out.setdefault(k, v)
    for k, v in o.items():
        if v.startswith('+') and k in out:
            out[k] = out[k] + ',' + v[1:]
        else:
            out[k] = v[1:] if v.startswith('+') else v
    o.clear()
    o.update(out)
    o['_resolved'] = True
    return o


def split(v):
    return [x.strip() for x in (v or '').split(',') if x.strip()]


def group_hosts(g, objs, depth=0):
    hs = set()
    for o in objs:
        if o['_type'] == 'hostgroup' and o.get('hostgroup_name') == g:
            for m in split(o.get('members')):
                if not m.startswith('!'):
                    hs.add(m)
            for sub in split(o.get('hostgroup_members')):
                if depth < 20:
                    hs |= group_hosts(sub, objs, depth + 1)
    for o in objs:
        if o['_type'] == 'host' and g in split(o.get('hostgroups')):
            hs.add(o['host_name'])
    return hs


def hosts_of(o, objs):
    hs, ex = set(), set()
    for g in split(o.get('hostgroup_name')):
        (ex if g.startswith('!') else hs).update(group_hosts(g.lstrip('!'), objs))
    for h in split(o.get('host_name')):
        if h.startswith('!'):
            ex.add(h[1:])
        elif h == '*':
            hs.update(x['host_name'] for x in objs if x['_type'] == 'host')
        else:
            hs.add(h)
    return hs - ex


def command_line(spec, host, svc, objs, users):
    parts = re.split(r'(?<!\\)!', spec)
    name, args = parts[0].strip(), [a.replace('\\!', '!') for a in parts[1:]]
    cmd = next(o for o in objs if o['_type'] == 'command' and o.get('command_name') == name)
    line = cmd['command_line']

    def macro(m):
        n = m.group(1)
        if n == '':
            return '$'
        if re.fullmatch(r'ARG\d+', n):
            i = int(n[3:])
            return args[i - 1] if i <= len(args) else ''
        if n in users:
            return users[n]
        if n == 'HOSTADDRESS':
            return host.get('address', host['host_name'])
        if n == 'HOSTNAME':
            return host['host_name']
        if n == 'HOSTALIAS':
            return host.get('alias', host['host_name'])
        if n == 'SERVICEDESC':
            return svc or ''
        if n.startswith('_HOST'):
            return host.get('_' + n[5:], host.get('_' + n[5:].upper(), ''))
        return ''
    # ARGn values may hold $USERn$ and host macros: twice, as Nagios
    line = re.sub(r'\$([A-Za-z0-9_]*)\$', macro, line)
    return re.sub(r'\$([A-Za-z0-9_]*)\$', macro, line)


def commands(cfg, hostname):
    objs, users = read_main(cfg)
    for o in objs:
        resolve(o, objs)
    objs = [o for o in objs if o.get('register', '1') != '0']
    host = next(o for o in objs if o['_type'] == 'host' and o.get('host_name') == hostname)
    if host.get('check_command'):
        print('-\t' + command_line(host['check_command'], host, None, objs, users))
    picked = {}
    for o in objs:
        if o['_type'] != 'service' or hostname not in hosts_of(o, objs):
            continue
        d = o['service_description']
        specific = hostname in split(o.get('host_name'))
        if d in picked and not (specific and not picked[d][1]):
            continue
        picked[d] = (o, specific)
    for d in sorted(picked):
        o = picked[d][0]
        print(d + '\t' + command_line(o['check_command'], host, d, objs, users))


GEN_OBJECTS = r'''
define command {
    command_name    host-ok
    command_line    $USER1$/check_dummy 0 "host $HOSTNAME$ at $HOSTADDRESS$ is up"
}
define command {
    command_name    check_words
    command_line    $USER1$/check_dummy $ARG1$
}
define command {
    command_name    check_state
    command_line    $USER1$/check_dummy $ARG1$ "$ARG2$"
}
define command {
    command_name    check_role
    command_line    $USER1$/check_dummy $_HOSTSTATE$ role=$_HOSTROLE$
}
define command {
    command_name    check_piped
    command_line    $USER1$/check_dummy 0 ok | /usr/bin/tee /dev/null
}
define timeperiod {
    timeperiod_name 24x7
    alias           always
    sunday          00:00-24:00
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
}
define timeperiod {
    timeperiod_name workhours
    monday          09:00-17:00
    tuesday         09:00-17:00
    december 25     00:00-00:00
    day 1           10:00-12:00
    exclude         lunch
}
define timeperiod {
    timeperiod_name lunch
    monday          12:00-13:00
}
define timeperiod {
    timeperiod_name every-third-day
    2026-01-01 / 3  00:00-24:00
}
define contact {
    contact_name                    admin
    alias                           The admin
    email                           admin@example.org
    host_notification_options       d,u,r
    service_notification_options    w,u,c,r
    host_notification_period        24x7
    service_notification_period     24x7
    host_notification_commands      notify-host-by-email
    service_notification_commands   notify-service-by-email
}
define contact {
    contact_name                    pager-only
    pager                           5550100
}
define contactgroup {
    contactgroup_name   admins
    members             admin
}
define host {
    name                    generic-host
    register                0
    check_command           host-ok
    max_check_attempts      3
    check_interval          5
    retry_interval          1
    notification_interval   30
    notification_period     24x7
    notification_options    d,u,r
    contact_groups          admins
    _STATE                  0
}
define host {
    name                    linux-server
    use                     generic-host
    register                0
    hostgroups              linux
    _ROLE                   generic
}
define service {
    name                    generic-service
    register                0
    max_check_attempts      3
    check_interval          5
    retry_interval          1
    check_period            24x7
    notification_options    w,u,c,r
    contact_groups          admins
}
define hostgroup {
    hostgroup_name  linux
    alias           Linux servers
}
define hostgroup {
    hostgroup_name  web
    alias           Web servers
}
define hostgroup {
    hostgroup_name  db
}
define hostgroup {
    hostgroup_name      everything
    hostgroup_members   linux,web
}
define service {
    use                     generic-service
    hostgroup_name          linux
    service_description     ping
    check_command           check_words!0 alive and well
}
define service {
    use                     generic-service
    hostgroup_name          linux
    host_name               !host-0007
    service_description     disk
    check_command           check_state!1!disk at 91% used
}
define service {
    use                     generic-service
    hostgroup_name          web
    service_description     http
    check_command           check_state!0!http fine
    servicegroups           frontends
}
define service {
    use                     generic-service
    host_name               host-0010
    service_description     http
    check_command           check_state!2!http down on this one
}
define service {
    use                     generic-service
    hostgroup_name          db
    service_description     db
    check_command           check_role
}
define service {
    use                     generic-service
    host_name               host-0001
    service_description     legacy
    check_command           check_piped
}
define host {
    use                     linux-server
    host_name               web server/1
    address                 127.0.0.9
}
define service {
    use                     generic-service
    host_name               web server/1
    service_description     a service with spaces
    check_command           check_state!0!fine
}
define servicegroup {
    servicegroup_name   frontends
    alias               Front ends
}
define servicedependency {
    host_name                       host-0050
    service_description             db
    dependent_hostgroup_name        web
    dependent_service_description   http
    notification_failure_criteria   c,u
    execution_failure_criteria      n
}
define serviceescalation {
    hostgroup_name          web
    service_description     http
    first_notification      2
    last_notification       4
    notification_interval   10
    contact_groups          admins
}
'''


def gen(d, n):
    os.makedirs(os.path.join(d, 'hosts'), exist_ok=True)
    with open(os.path.join(d, 'resource.cfg'), 'w') as f:
        f.write('$USER1$=/usr/lib/nagios/plugins\n')
    os.chmod(os.path.join(d, 'resource.cfg'), 0o600)
    with open(os.path.join(d, 'objects.cfg'), 'w') as f:
        f.write(GEN_OBJECTS)
    for part in range(0, n, 250):
        with open(os.path.join(d, 'hosts', 'hosts-%d.cfg' % part), 'w') as f:
            for i in range(part + 1, min(part + 250, n) + 1):
                groups = []
                if i % 10 == 0:
                    groups.append('web')
                if i % 50 == 0:
                    groups.append('db')
                f.write('define host {\n    use linux-server\n    host_name host-%04d\n'
                        '    address 127.0.0.%d\n' % (i, i % 250 + 1))
                if groups:
                    f.write('    hostgroups +%s\n' % ','.join(groups))
                if i % 50 == 0:
                    f.write('    _ROLE database\n    _STATE %d\n' % (i // 50 % 3))
                f.write('}\n')
    with open(os.path.join(d, 'nagios.cfg'), 'w') as f:
        f.write('cfg_file=objects.cfg\ncfg_dir=hosts\nresource_file=resource.cfg\n'
                'interval_length=60\n')


def explain_argvs(path):
    """vigil-engine --explain's checks: {SERVICE or '-': argv}."""
    import shlex
    out, cur = {}, None
    for line in open(path):
        if line.startswith('  host check'):
            cur = '-'
            continue
        m = re.match(r'  service (.*?): (written|apply rule)', line)
        if m:
            cur = m.group(1)
            continue
        if cur is not None and line.startswith('\t') and not line.startswith('\t\t'):
            out[cur] = shlex.split(line.strip())
            cur = None
    return out


def compare(cfg, hostname, explain):
    """Run each check of HOST both ways: "same" or "differ" lines."""
    import subprocess
    vigil = explain_argvs(explain)
    import io
    buf = io.StringIO()
    old, sys.stdout = sys.stdout, buf
    try:
        commands(cfg, hostname)
    finally:
        sys.stdout = old
    env = {'PATH': '/usr/bin:/bin', 'LC_ALL': 'C'}
    # vigil's argv keeps $USERn$ for the worker, which fills it in from
    # its resource file: the same here
    _, users = read_main(cfg)
    for svc in vigil:
        vigil[svc] = [re.sub(r'\$(USER\d+)\$', lambda m: users.get(m.group(1), m.group(0)), a)
                      for a in vigil[svc]]
    for line in buf.getvalue().splitlines():
        svc, cmd = line.split('\t', 1)
        if svc not in vigil:
            print('missing\t%s\t%s' % (svc, cmd))
            continue
        n = subprocess.run(['/bin/sh', '-c', cmd], capture_output=True, text=True, env=env,
                           timeout=60)
        v = subprocess.run(vigil[svc], capture_output=True, text=True, env=env, timeout=60)
        same = n.returncode == v.returncode
        if 'check_dummy' in cmd:
            same = same and n.stdout == v.stdout
        print('%s\t%s\t%d\t%d\t%s' % ('same' if same else 'differ', svc, n.returncode,
                                          v.returncode, v.stdout.splitlines()[0]
                                          if v.stdout else ''))


if __name__ == '__main__':
    if len(sys.argv) == 5 and sys.argv[1] == 'compare':
        compare(sys.argv[2], sys.argv[3], sys.argv[4])
        sys.exit(0)
    if len(sys.argv) == 4 and sys.argv[1] == 'gen':
        gen(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == 'commands':
        commands(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
