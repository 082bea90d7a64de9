package dev.picklejar.jackson;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The Java side of the Python classes in src/test/python/pjtypes. */
final class Types {
    private Types() {
    }

    @PythonClass(module = "pjtypes", name = "Point")
    record Point(int x, int y) {
    }

    record SlotPoint(int x, int y) {
    }

    record Pair(String left, double right) {
    }

    @PythonClass(module = "pjtypes", name = "Color")
    enum Color {
        RED("red"), GREEN("green");

        private final String value;

        Color(String value) {
            this.value = value;
        }

        @JsonValue
        String value() {
            return value;
        }
    }

    @PythonClass(module = "pjtypes", name = "Level")
    enum Level {
        LOW(1), HIGH(2);

        private final int code;

        Level(int code) {
            this.code = code;
        }

        @JsonValue
        int code() {
            return code;
        }
    }

    @PythonClass(module = "pjtypes", name = "Person")
    record Person(String name, int age, List<String> tags, Map<String, Double> scores, LocalDate born,
                  OffsetDateTime seen, BigDecimal balance, UUID id, byte[] avatar, Color color, Level level,
                  Point home, List<Point> friends, Optional<String> nickname) {
    }

    /** A POJO with fields and setters: the same Person, the JavaBean way. */
    static class PersonBean {
        private String name;
        private int age;
        public List<String> tags;
        public Map<String, Double> scores;
        public LocalDate born;
        public OffsetDateTime seen;
        public BigDecimal balance;
        public UUID id;
        public byte[] avatar;
        public Color color;
        public Level level;
        public Point home;
        public Point[] friends;
        public String nickname;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getAge() {
            return age;
        }

        public void setAge(int age) {
            this.age = age;
        }
    }

    @PythonClass(module = "pjtypes", name = "Plain")
    static class Plain {
        public String title;
        public int count;
        public double ratio;
    }

    record Samples(double[] values, int[] counts, long[][] grid, boolean[] flags) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Nested(List<Point> points, Map<String, List<Integer>> byName, List<Pair> pairs, LocalDateTime when,
                  LocalDate day, BigDecimal price, String nothing) {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    @JsonSubTypes({@JsonSubTypes.Type(Circle.class), @JsonSubTypes.Type(Square.class)})
    sealed interface Shape permits Circle, Square {
    }

    @PythonClass(module = "pjtypes", name = "Circle")
    record Circle(double radius) implements Shape {
    }

    @PythonClass(module = "pjtypes", name = "Square")
    record Square(double side) implements Shape {
    }

    record Item(String name, int count, double price) {
    }

    record Arrays(int[] ints, double[] doubles, long[] longs, boolean[] flags, byte[] data) {
    }
}
