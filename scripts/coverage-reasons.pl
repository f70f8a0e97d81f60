#!/usr/bin/env perl
# scripts/coverage-reasons.pl ROOT GOAL.INFO REASONS.MD — every uncovered line and branch of
# the coverage goal set must have a test or a one-line reason (issue 15 §2). The reasons are
# the table between the markers "<!-- uncovered-reasons: begin -->" and "... end -->" in
# REASONS.MD (docs/TESTING.md): one row per kind of unreachable code,
#   | src/FILE.c | `a fragment of the source line` | why no test reaches it |
# A row covers every uncovered line or branch of FILE whose source line contains the
# fragment (matched on the line as it is now, so edits that move lines keep their reasons).
# The body of an arm inherits its condition's reason: an uncovered line without a row of its
# own is covered by the nearest uncovered place above it that has one, when no line run by
# the tests lies between them.
# Prints the counts, then each uncovered place without a reason (FILE:LINE: code) and each
# row that matches nothing (stale: the code it explained is gone or now tested).
# Exit: 0 every place has a reason, 1 some do not, 2 bad usage or unreadable input.
use strict;
use warnings;

@ARGV == 3 or die "usage: coverage-reasons.pl ROOT GOAL.INFO REASONS.MD\n";
my ($root, $info, $md) = @ARGV;
$root =~ s{/*$}{/};

# Uncovered places from the lcov tracefile: lines never run (DA:n,0) and branch arms never
# taken (BRDA:n,block,arm,0 or -), by file and line.
my (%lines, %arms, %ran);
open(my $fi, '<', $info) or do { print STDERR "coverage-reasons: $info: $!\n"; exit 2 };
my $file;
while (<$fi>) {
    chomp;
    if (/^SF:(.*)$/) { ($file = $1) =~ s/^\Q$root\E//; next; }
    next unless defined $file;
    if (/^DA:(\d+),(\d+)/) { if ($2 == 0) { $lines{$file}{$1} = 1 } else { $ran{$file}{$1} = 1 } next; }
    if (/^BRDA:(\d+),\d+,\d+,(-|\d+)$/ && ($2 eq '-' || $2 == 0)) { $arms{$file}{$1}++; }
}
close $fi;

# The reasons table.
my @rows;
open(my $fm, '<', $md) or do { print STDERR "coverage-reasons: $md: $!\n"; exit 2 };
my $in = 0;
while (<$fm>) {
    if (/<!-- uncovered-reasons: begin -->/) { $in = 1; next; }
    last if /<!-- uncovered-reasons: end -->/;
    next unless $in && /^\|\s*(src\/\S+)\s*\|\s*`([^`]+)`\s*\|\s*(.*?)\s*\|\s*$/;
    my ($rfile, $rfrag, $rwhy) = ($1, $2, $3);
    $rfrag =~ s{\\\|}{|}g; # a | in a Markdown table cell is written \|
    push @rows, { file => $rfile, frag => $rfrag, why => $rwhy, used => 0, line => $. };
}
close $fm;
@rows or do { print STDERR "coverage-reasons: no reasons table in $md\n"; exit 2 };

my %src;
sub source_line {
    my ($f, $n) = @_;
    unless ($src{$f}) {
        open(my $fs, '<', "$root$f") or return '';
        $src{$f} = [<$fs>];
        close $fs;
    }
    my $l = $src{$f}[$n - 1] // '';
    chomp $l;
    $l =~ s/^\s+|\s+$//g;
    return $l;
}

my ($n_lines, $n_arms, $ok_lines, $ok_arms) = (0, 0, 0, 0);
my @missing;
my %places;
for my $f (sort keys %lines) { $places{$f}{$_} |= 1 for keys %{ $lines{$f} } }
for my $f (sort keys %arms) { $places{$f}{$_} |= 2 for keys %{ $arms{$f} } }
for my $f (sort keys %places) {
    my $reasoned = 0; # the last place of this file with a reason (0: none)
    for my $n (sort { $a <=> $b } keys %{ $places{$f} }) {
        my $code = source_line($f, $n);
        my $is_line = $places{$f}{$n} & 1;
        my $arms = ($places{$f}{$n} & 2) ? $arms{$f}{$n} : 0;
        $n_lines += $is_line ? 1 : 0;
        $n_arms += $arms;
        my $hit;
        for my $r (@rows) {
            next unless $r->{file} eq $f && index($code, $r->{frag}) >= 0;
            $r->{used}++;
            $hit = 1;
        }
        if (!$hit && $is_line && $reasoned) {
            # the body of an arm whose condition has a reason
            $hit = 1;
            for my $m ($reasoned + 1 .. $n - 1) { if ($ran{$f}{$m}) { $hit = 0; last } }
        }
        $reasoned = $n if $hit;
        if ($hit) {
            $ok_lines += $is_line ? 1 : 0;
            $ok_arms += $arms;
        } else {
            push @missing, sprintf("%s:%d: %s%s", $f, $n,
                                   join('+', ($is_line ? 'line' : ()), ($arms ? "$arms arm" . ($arms > 1 ? 's' : '') : ())),
                                   ": $code");
        }
    }
}
printf "uncovered in the goal set: %d lines, %d branch arms; with a reason (%d rows in %s): %d lines, %d arms\n",
    $n_lines, $n_arms, scalar(@rows), $md, $ok_lines, $ok_arms;
if (@missing) {
    print "without a test or a reason (", scalar(@missing), " places):\n";
    print "  $_\n" for @missing;
}
my @stale = grep { !$_->{used} } @rows;
if (@stale) {
    print "reasons that match nothing uncovered (stale: tested now, or the code changed):\n";
    printf "  %s line %d: %s `%s`\n", $md, $_->{line}, $_->{file}, $_->{frag} for @stale;
}
exit(@missing ? 1 : 0);
