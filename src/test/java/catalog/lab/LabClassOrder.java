package catalog.lab;

import catalog.WithStandaloneStack;
import catalog.cache.WithCacheLab;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The order of the container test classes (set for Failsafe in pom.xml): those on the small shared
 * labs first, then those that start their own containers (image smoke tests, the compose stack),
 * then those on the HA lab. A shared lab lives until the run ends, so the heavy one starts last and
 * its dozen idle containers never run beside another class's scenarios. Within a rank, the usual order.
 */
public final class LabClassOrder implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparingInt(d -> rank(d.getTestClass())));
    }

    private static int rank(Class<?> testClass) {
        List<Class<?>> extensions = AnnotationSupport.findRepeatableAnnotations(testClass, ExtendWith.class).stream()
                .flatMap(e -> Arrays.stream(e.value())).<Class<?>>map(c -> c).toList();
        if (extensions.contains(WithStandaloneStack.class)) {
            return 0;
        }
        if (extensions.contains(WithCacheLab.class)) {
            return 1;
        }
        if (extensions.contains(WithProductsLab.class)) {
            return 3;
        }
        return 2;
    }
}
