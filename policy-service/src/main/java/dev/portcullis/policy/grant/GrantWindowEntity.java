package dev.portcullis.policy.grant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.DayOfWeek;

@Entity
@Table(name = "grant_window")
public class GrantWindowEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "grant_id")
    public AccessGrantEntity grant;

    @Column(name = "day_of_week", nullable = false)
    public short dayOfWeek;

    @Column(name = "start_minute", nullable = false)
    public int startMinute;

    @Column(name = "end_minute", nullable = false)
    public int endMinute;

    static GrantWindowEntity of(AccessGrantEntity grant, WeeklyWindow window) {
        GrantWindowEntity entity = new GrantWindowEntity();
        entity.grant = grant;
        entity.dayOfWeek = (short) window.day().getValue();
        entity.startMinute = window.startMinute();
        entity.endMinute = window.endMinute();
        return entity;
    }

    WeeklyWindow toWindow() {
        return new WeeklyWindow(DayOfWeek.of(dayOfWeek), startMinute, endMinute);
    }
}
