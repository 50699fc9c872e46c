"""Reading mysqldump's output: rows counted per table as the dump streams by, and the restore's comparison."""

import pytest

from ansible_collections.gureum.openstack.plugins.module_utils.mysqldump import (
    DumpCounter, DumpError, count_query, count_tuples, differences, quote_name)

DUMP = b"""-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: keystone
-- ------------------------------------------------------
-- Server version\t10.11.6-MariaDB-0+deb12u1
/*!40000 DROP DATABASE IF EXISTS `keystone`*/;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ `keystone` /*!40100 DEFAULT CHARACTER SET utf8mb3 */;
USE `keystone`;
DROP TABLE IF EXISTS `project`;
CREATE TABLE `project` (
  `id` varchar(64) NOT NULL,
  `extra` text DEFAULT NULL
) ENGINE=InnoDB;
INSERT INTO `project` VALUES ('a','{\\"x\\": \\"(1),(2)\\"}'),('b','it\\'s (not) a row'),('c',NULL);
INSERT INTO `project` VALUES ('d',0x28292C28);
CREATE TABLE `empty` (
  `id` int
) ENGINE=InnoDB;
USE `nova_api`;
CREATE TABLE `cell_mappings` (
  `id` int
);
INSERT INTO `cell_mappings` VALUES (1),(2);
CREATE TABLE `host_mappings` (
  `host` varchar(255)
);
INSERT INTO `host_mappings` VALUES
('compute1'),
('a (b),\\\\'),
('compute2;');
INSERT INTO `host_mappings` VALUES
('compute3');
-- Dump completed on 2026-01-01  0:00:00
"""


def counted(text):
    counter = DumpCounter()
    for line in text.splitlines(True):
        counter.line(line)
    return counter


def test_rows_are_counted_per_table():
    counter = counted(DUMP)
    # MariaDB 10.11's mysqldump puts each row of an INSERT on a line of its own (host_mappings)
    assert counter.databases == {'keystone': {'project': 4, 'empty': 0},
                                 'nova_api': {'cell_mappings': 2, 'host_mappings': 4}}
    assert counter.server_version == '10.11.6-MariaDB-0+deb12u1'
    assert counter.completed


def test_the_summary_has_tables_and_rows():
    assert counted(DUMP).summary()['keystone'] == {'tables': 2, 'rows': 4, 'table_rows': {'project': 4, 'empty': 0}}


def test_a_dump_cut_short_is_not_completed():
    assert not counted(DUMP.rsplit(b'-- Dump', 1)[0]).completed


@pytest.mark.parametrize('values, rows', [
    (b"(1)", 1),
    (b"(1),(2),(3)", 3),
    (b"('a,b'),('(')", 2),
    (b"('it\\'s'),('\\\\')", 2),
    (b"(1,'x'),(2,NULL)", 2),
    (b"", 0),
])
def test_count_tuples(values, rows):
    assert count_tuples(values) == rows


@pytest.mark.parametrize('values', [b"('open", b"(1", b"1)"])
def test_a_broken_insert_is_an_error(values):
    with pytest.raises(DumpError):
        count_tuples(values)


def test_a_table_before_use_is_an_error():
    with pytest.raises(DumpError, match='--databases'):
        counted(b"CREATE TABLE `t` (\n")


def test_rows_before_their_table_are_an_error():
    with pytest.raises(DumpError, match='before its CREATE TABLE'):
        counted(b"USE `d`;\nINSERT INTO `t` VALUES (1);\n")


@pytest.mark.parametrize('found, problems', [
    ({'k': {'p': 4, 'e': 0}}, []),
    ({}, ["database 'k' is missing"]),
    ({'k': {'p': 4}}, ["table 'k.e' is missing"]),
    ({'k': {'p': 3, 'e': 0}}, ["table 'k.p' has 3 rows, the dump 4"]),
    ({'k': {'p': 4, 'e': 0, 'x': 1}}, ["table 'k.x' is not in the dump"]),
    ({'k': {'p': 4, 'e': 0}, 'z': {}}, ["database 'z' is not in the dump"]),
])
def test_differences(found, problems):
    assert differences({'k': {'p': 4, 'e': 0}}, found) == problems


def test_the_count_query_quotes_names():
    assert quote_name('a`b') == '`a``b`'
    assert count_query('nova', ['b', "a'"]) == (
        "SELECT 'a''', COUNT(*) FROM `nova`.`a'` UNION ALL SELECT 'b', COUNT(*) FROM `nova`.`b`;")
    assert count_query('nova', []) == ''
