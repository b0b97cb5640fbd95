package dev.colosseum.vote;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** GET /api/v1/models answer: registry entries as CONTRACTS.md describes them, with "historical". */
public record ModelEntry(List<ObjectNode> models) {
}
