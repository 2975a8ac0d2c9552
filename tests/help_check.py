#!/usr/bin/env python3
"""help_check.py — the options each command's --help prints are documented (issue 18).

For `pcap2report --help` and `pcap2report CMD --help` (CMD: convert, grade, index, verify),
every option on an option line of the help (a line indented by at most 8 spaces that starts
with `-X, --long` or `--long`) must appear in the man page (groff escapes removed), and every
long option in the README. Prints one line per missing option and 'help: N passed, M failed'.

Usage: help_check.py PROGRAM MAN_PAGE README"""
import re
import subprocess
import sys

COMMANDS = ['', 'convert', 'grade', 'index', 'verify']


def options(help_text):
    found = set()
    for line in help_text.splitlines():
        m = re.match(r'^ {1,8}(-[A-Za-z](?=[, ]))?(?:, )?(--[a-z][a-z0-9-]*)?', line)
        if m and m.group(1):
            found.add(m.group(1))
        if m and m.group(2):
            found.add(m.group(2))
    return found


def mentions(text, option):
    return re.search(r'(?<![\w-])' + re.escape(option) + r'(?![\w-])', text) is not None


def main():
    program, man_path, readme_path = sys.argv[1:4]
    man = re.sub(r'\\f[BIRP]', '', open(man_path, encoding='utf-8').read().replace('\\-', '-'))
    readme = open(readme_path, encoding='utf-8').read()
    passed = failed = 0
    for cmd in COMMANDS:
        args = [program] + ([cmd] if cmd else []) + ['--help']
        run = subprocess.run(args, capture_output=True, text=True)
        found = options(run.stdout)
        name = cmd or '(default)'
        if run.returncode != 0 or len(found) < 2:
            print(f'FAIL: {name} --help: exit {run.returncode}, {len(found)} options found')
            failed += 1
            continue
        for opt in sorted(found):
            if not mentions(man, opt):
                print(f'FAIL: {name}: {opt} is not in {man_path}')
                failed += 1
            elif opt.startswith('--') and not mentions(readme, opt):
                print(f'FAIL: {name}: {opt} is not in {readme_path}')
                failed += 1
            else:
                passed += 1
    print(f'help: {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
