# -*- coding: utf-8 -*-
# Copyright: (c) 2026, gureum.openstack contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Reading a mysqldump of several databases as it streams by: which databases and tables it holds, how many rows
each table has, the server's version and whether the dump completed.

The counts are those of the dump's own snapshot (--single-transaction), so a restore can be checked exactly: after
loading, every table must hold the rows the dump counted. mysqldump writes one statement per line (newlines inside
values are escaped), an extended INSERT as ``INSERT INTO `t` VALUES (...),(...);`` or, from MariaDB 10.11's
mysqldump on, as ``INSERT INTO `t` VALUES`` followed by one row per line, each ending in ``,`` and the last in ``;``;
strings are single-quoted with backslash escapes, and binary columns are hex (``--hex-blob``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_USE = re.compile(br'^USE `((?:[^`]|``)+)`;')
_CREATE = re.compile(br'^CREATE TABLE `((?:[^`]|``)+)` \(')
_INSERT = re.compile(br'^INSERT INTO `((?:[^`]|``)+)` (?:\([^)]*\) )?VALUES(?: |\r?\n|$)')
_VERSION = re.compile(br'^-- Server version\s+(\S+)')
_DONE = re.compile(br'^-- Dump completed')


class DumpError(Exception):
    """A dump that cannot be read as mysqldump's output; the message says what is wrong."""


def _name(raw):
    return raw.replace(b'``', b'`').decode('utf-8')


def count_tuples(values):
    """The number of row tuples in the VALUES part of an extended INSERT: the opening parentheses outside strings at
    depth 0. Raises DumpError when quotes or parentheses do not balance (a line cut short)."""
    count = depth = 0
    quoted = escaped = False
    for byte in bytearray(values):
        char = chr(byte)
        if quoted:
            if escaped:
                escaped = False
            elif char == '\\':
                escaped = True
            elif char == "'":
                quoted = False
        elif char == "'":
            quoted = True
        elif char == '(':
            if depth == 0:
                count += 1
            depth += 1
        elif char == ')':
            depth -= 1
            if depth < 0:
                raise DumpError('unbalanced parentheses in an INSERT')
    if quoted or depth:
        raise DumpError('an INSERT ends inside a string or a row (the dump is cut short?)')
    return count


class DumpCounter(object):
    """Feed the dump's lines (bytes) to ``line``; ``databases`` is then {database: {table: rows}}."""

    def __init__(self):
        self.databases = {}
        self.server_version = ''
        self.completed = False
        self._database = None
        # the table whose rows the next lines hold (an INSERT whose rows go on over several lines)
        self._rows_of = None

    def line(self, text):
        if self._rows_of is not None:
            self._count(self._rows_of, text)
            return
        if text.startswith(b'--'):
            match = _VERSION.match(text)
            if match and not self.server_version:
                self.server_version = match.group(1).decode('utf-8', 'replace')
            if _DONE.match(text):
                self.completed = True
            return
        match = _USE.match(text)
        if match:
            self._database = _name(match.group(1))
            self.databases.setdefault(self._database, {})
            return
        match = _CREATE.match(text)
        if match:
            self._tables()[_name(match.group(1))] = 0
            return
        match = _INSERT.match(text)
        if match:
            tables = self._tables()
            table = _name(match.group(1))
            if table not in tables:
                raise DumpError("rows for table '%s' of '%s' before its CREATE TABLE" % (table, self._database))
            self._count(table, text[match.end():])

    def _count(self, table, values):
        """Count the rows in ``values``, the part of an INSERT on one line; one that does not end the statement
        (with ``;``) leaves the next lines to hold more rows of ``table``."""
        values = values.rstrip(b'\r\n')
        self._rows_of = None if values.endswith(b';') else table
        self._tables()[table] += count_tuples(values.rstrip(b';').rstrip(b','))

    def _tables(self):
        if self._database is None:
            raise DumpError('a table before any USE statement: dump the databases with --databases')
        return self.databases[self._database]

    def summary(self):
        """{database: {tables, rows, table_rows}} for a manifest."""
        return dict((name, {'tables': len(tables), 'rows': sum(tables.values()), 'table_rows': dict(tables)})
                    for name, tables in self.databases.items())


def differences(expected, found):
    """Sentences naming what differs between {database: {table: rows}} ``expected`` (the dump) and ``found`` (the
    restored server), sorted; empty when they agree."""
    problems = []
    for database in sorted(set(expected) | set(found)):
        if database not in found:
            problems.append("database '%s' is missing" % database)
            continue
        if database not in expected:
            problems.append("database '%s' is not in the dump" % database)
            continue
        want, got = expected[database], found[database]
        for table in sorted(set(want) | set(got)):
            if table not in got:
                problems.append("table '%s.%s' is missing" % (database, table))
            elif table not in want:
                problems.append("table '%s.%s' is not in the dump" % (database, table))
            elif want[table] != got[table]:
                problems.append("table '%s.%s' has %d rows, the dump %d" % (database, table, got[table], want[table]))
    return problems


def quote_name(name):
    """A MariaDB identifier in backquotes."""
    return '`%s`' % name.replace('`', '``')


def count_query(database, tables):
    """One statement giving (table, rows) of each table of a database (exact counts, COUNT(*))."""
    if not tables:
        return ''
    selects = ["SELECT '%s', COUNT(*) FROM %s.%s" % (table.replace("'", "''"), quote_name(database), quote_name(table))
               for table in sorted(tables)]
    return ' UNION ALL '.join(selects) + ';'
