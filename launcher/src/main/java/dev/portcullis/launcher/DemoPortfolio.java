package dev.portcullis.launcher;

import java.security.SecureRandom;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The demo portfolio: one organization, one property, three doors each with a simulated lock, a
 * tenant and an operator of the organization (null in portfolios saved before operators existed). Ids are fixed (they are not secrets); the tenant's password, TOTP secret and the locks'
 * enrolment secrets are generated per installation and never committed.
 */
public record DemoPortfolio(String organizationId, String propertyId, String timeZone, List<Door> doors, Tenant tenant,
        Tenant operator) {

    public record Door(String id, String name, String lockId, String enrollmentSecret, String tenantSchedule) {
    }

    public record Tenant(String id, String username, String displayName, String password, String totpSecret) {
    }

    public static final String ORGANIZATION_ID = "6f0d7a52-0c1e-4c55-9d1c-3b9f0b1a7e01";
    public static final String ORGANIZATION_NAME = "Harbor Lofts Management";
    public static final String PROPERTY_ID = "2a4e8c61-5b7d-4f0e-8a3c-9d2f1e6b4c02";
    public static final String PROPERTY_NAME = "Harbor Lofts";
    public static final String TIME_ZONE = "America/New_York";

    /** Generates fresh secrets. The rooftop window is on a weekday three days away: always closed "now". */
    public static DemoPortfolio generate(SecureRandom random) {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of(TIME_ZONE));
        DayOfWeek rooftopDay = now.getDayOfWeek().plus(3);
        List<Door> doors = List.of(
                new Door("0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a10", "Front entrance", "9c1e4b7a-2f3d-4a5b-8c6d-7e9f0a1b2c11",
                        secret(random), "always"),
                new Door("0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a20", "Unit 4B", "9c1e4b7a-2f3d-4a5b-8c6d-7e9f0a1b2c21",
                        secret(random), "always"),
                new Door("0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a30", "Rooftop terrace", "9c1e4b7a-2f3d-4a5b-8c6d-7e9f0a1b2c31",
                        secret(random), rooftopDay.name().substring(0, 3) + " 10:00-11:00"));
        Tenant tenant = new Tenant("5d3c2b1a-9e8f-4d7c-b6a5-4f3e2d1c0b01", "alex@harborlofts.example", "Alex Tenant",
                password(random), Totp.newSecret(random));
        Tenant operator = new Tenant("7e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c01", "ops@harborlofts.example", "Olivia Operator",
                password(random), Totp.newSecret(random));
        return new DemoPortfolio(ORGANIZATION_ID, PROPERTY_ID, TIME_ZONE, doors, tenant, operator);
    }

    public Door door(String name) {
        return doors.stream().filter(door -> door.name().equals(name)).findFirst().orElseThrow();
    }

    /** The demo portfolio as the services' `portcullis.demo.*` configuration. */
    public Properties toConfig() {
        Properties config = new Properties();
        config.setProperty("portcullis.demo.organization.id", organizationId);
        config.setProperty("portcullis.demo.organization.name", ORGANIZATION_NAME);
        config.setProperty("portcullis.demo.property.id", propertyId);
        config.setProperty("portcullis.demo.property.name", PROPERTY_NAME);
        config.setProperty("portcullis.demo.property.time-zone", timeZone);
        for (int i = 0; i < doors.size(); i++) {
            Door door = doors.get(i);
            String prefix = "portcullis.demo.doors[" + i + "].";
            config.setProperty(prefix + "id", door.id());
            config.setProperty(prefix + "name", door.name());
            config.setProperty(prefix + "lock-id", door.lockId());
            config.setProperty(prefix + "enrollment-secret", door.enrollmentSecret());
            config.setProperty(prefix + "tenant-schedule", door.tenantSchedule());
        }
        config.setProperty("portcullis.demo.tenant.id", tenant.id());
        config.setProperty("portcullis.demo.tenant.username", tenant.username());
        config.setProperty("portcullis.demo.tenant.display-name", tenant.displayName());
        config.setProperty("portcullis.demo.tenant.password", tenant.password());
        config.setProperty("portcullis.demo.tenant.totp-secret", tenant.totpSecret());
        if (operator != null) {
            config.setProperty("portcullis.demo.operator.id", operator.id());
            config.setProperty("portcullis.demo.operator.username", operator.username());
            config.setProperty("portcullis.demo.operator.display-name", operator.displayName());
            config.setProperty("portcullis.demo.operator.password", operator.password());
            config.setProperty("portcullis.demo.operator.totp-secret", operator.totpSecret());
        }
        return config;
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("organizationId", organizationId);
        out.put("propertyId", propertyId);
        out.put("timeZone", timeZone);
        List<Map<String, String>> doorList = new ArrayList<>();
        for (Door door : doors) {
            doorList.add(Map.of("id", door.id(), "name", door.name(), "lockId", door.lockId(), "tenantSchedule", door.tenantSchedule()));
        }
        out.put("doors", doorList);
        return out;
    }

    private static String secret(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String password(SecureRandom random) {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
            if (i % 5 == 4 && i < 19) {
                out.append('-');
            }
        }
        return out.toString();
    }
}
