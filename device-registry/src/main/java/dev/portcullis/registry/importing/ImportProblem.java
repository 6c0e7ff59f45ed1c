package dev.portcullis.registry.importing;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What is wrong with one cell (or, with no column, a whole row) of an import; {@code row} is the file's line number. */
@RegisterForReflection
public record ImportProblem(int row, String column, String problem) {
}
