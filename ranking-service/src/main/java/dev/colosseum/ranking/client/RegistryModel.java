package dev.colosseum.ranking.client;

/** The registry facts ranking-service reads from vote-service. */
public record RegistryModel(String id, String displayName, String organization, String provider, String license,
                            String visibility, Boolean enabled, Boolean outage, Boolean deprecated,
                            Boolean historical, Double inputPricePerMtok, Double outputPricePerMtok,
                            Double paramsB, Double samplingWeight) {
    public boolean isDeprecated() {
        return Boolean.TRUE.equals(deprecated);
    }

    public boolean isPrivate() {
        return "private".equalsIgnoreCase(visibility);
    }

    public boolean isOutage() {
        return Boolean.TRUE.equals(outage) || Boolean.FALSE.equals(enabled);
    }
}
