package io.threeway.lab;

/**
 * One of a scenario's own parameters, offered on the command line as {@code --NAME VALUE}.
 *
 * @param name         lower case with dashes, e.g. {@code rate}
 * @param defaultValue the value when the user gives none, as typed ({@code 1000}, {@code 40s})
 * @param description  one sentence for {@code --help}: what it changes
 */
public record ScenarioParameter(String name, String defaultValue, String description) {}
