package dev.colosseum.ranking.client;

import java.util.List;

/** {@code GET /api/v1/models} of vote-service. */
public record RegistryPage(List<RegistryModel> models) {
}
