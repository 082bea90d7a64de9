package dev.picklejar.jackson.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.picklejar.Pickle;
import dev.picklejar.jackson.PickleMapper;
import dev.picklejar.jackson.PythonClass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/** Types Jackson can reach are types PickleMapper reads and writes, whatever their access level, from any package. */
class AccessLevelTest {
    @Test
    void aRecordDeclaredInAMethodIsReadAndWritten() {
        record Point(int x, int y) {
        }
        PickleMapper mapper = PickleMapper.builder().pythonClass(Point.class, "geometry", "Point").build();
        byte[] bytes = mapper.writeValueAsBytes(List.of(new Point(1, 2)));
        assertEquals(List.of(new Point(1, 2)), mapper.readValue(bytes, new TypeReference<List<Point>>() { }));
    }

    @PythonClass(module = "geometry", name = "Hidden")
    record Hidden(String name) {
    }

    private static final class PrivatePojo {
        private int count;

        private PrivatePojo() {
        }

        public int getCount() {
            return count;
        }

        public void setCount(int count) {
            this.count = count;
        }
    }

    @Test
    void packagePrivateRecordsAndPrivatePojosAreReadAndWritten() {
        PickleMapper mapper = new PickleMapper();
        assertEquals(new Hidden("h"), mapper.readValue(mapper.writeValueAsBytes(new Hidden("h")), Hidden.class));
        PrivatePojo p = mapper.readValue(Pickle.dumps(Map.of("count", 3)), PrivatePojo.class);
        assertEquals(3, p.getCount());
        assertEquals(Map.of("count", 3), Pickle.loads(mapper.writeValueAsBytes(p)));
    }
}
