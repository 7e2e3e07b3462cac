package dev.sprox.cli;

/** How a command reports: lines for people, or one JSON document for scripts and CI. */
enum OutputFormat { text, json }
