//! Small pure geometry types in output pixels.

use serde::{Deserialize, Serialize};

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Size {
    /// Width in pixels.
    pub w: u32,
    /// Height in pixels.
    pub h: u32,
}

impl Size {
    /// A new size.
    pub const fn new(w: u32, h: u32) -> Self {
        Self { w, h }
    }

    /// Width over height.
    pub fn aspect(self) -> f32 {
        self.w as f32 / self.h.max(1) as f32
    }

    /// This size shrunk (never grown) to a long side of `side`, at least
    /// 1x1, and the scale from this size to it.
    pub fn shrunk_to(self, side: u32) -> (Size, f64) {
        let scale = (side as f64 / self.w.max(self.h) as f64).min(1.0);
        let w = ((self.w as f64 * scale).round() as u32).max(1);
        let h = ((self.h as f64 * scale).round() as u32).max(1);
        (Size::new(w, h), scale)
    }
}

/// An axis-aligned rectangle with integer pixel edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width (>= 0).
    pub w: i32,
    /// Height (>= 0).
    pub h: i32,
}

impl Rect {
    /// A new rectangle.
    pub const fn new(x: i32, y: i32, w: i32, h: i32) -> Self {
        Self { x, y, w, h }
    }

    /// The rectangle from its edges; empty if they cross.
    pub fn from_edges(left: i32, top: i32, right: i32, bottom: i32) -> Self {
        Self::new(left, top, (right - left).max(0), (bottom - top).max(0))
    }

    /// The right edge (exclusive).
    pub const fn right(self) -> i32 {
        self.x + self.w
    }

    /// The bottom edge (exclusive).
    pub const fn bottom(self) -> i32 {
        self.y + self.h
    }

    /// True when the rectangle has no area.
    pub const fn is_empty(self) -> bool {
        self.w <= 0 || self.h <= 0
    }

    /// The overlap of two rectangles (possibly empty).
    pub fn intersect(self, other: Rect) -> Rect {
        Rect::from_edges(
            self.x.max(other.x),
            self.y.max(other.y),
            self.right().min(other.right()),
            self.bottom().min(other.bottom()),
        )
    }

    /// True when the two share at least one pixel.
    pub fn overlaps(self, other: Rect) -> bool {
        !self.intersect(other).is_empty()
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(self, other: Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }

    /// The rectangle shrunk by `d` on every side (never below zero size).
    pub fn inset(self, d: i32) -> Rect {
        Rect::from_edges(self.x + d, self.y + d, self.right() - d, self.bottom() - d)
    }

    /// The rectangle seen in a mirror about the vertical middle of `area`.
    pub fn mirrored_in(self, area: Rect) -> Rect {
        Rect::new(area.x + area.right() - self.right(), self.y, self.w, self.h)
    }

    /// The smallest rectangle holding both (an empty one is ignored).
    pub fn union(self, other: Rect) -> Rect {
        if self.is_empty() {
            return other;
        }
        if other.is_empty() {
            return self;
        }
        Rect::from_edges(
            self.x.min(other.x),
            self.y.min(other.y),
            self.right().max(other.right()),
            self.bottom().max(other.bottom()),
        )
    }

    /// Area in pixels.
    pub fn area(self) -> i64 {
        if self.is_empty() {
            0
        } else {
            self.w as i64 * self.h as i64
        }
    }
}

/// Unsafe insets of a format, as fractions of the canvas height (top, bottom)
/// and width (left, right).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Insets {
    /// Fraction of the height covered at the top.
    pub top: f32,
    /// Fraction of the height covered at the bottom.
    pub bottom: f32,
    /// Fraction of the width covered at the left.
    pub left: f32,
    /// Fraction of the width covered at the right.
    pub right: f32,
}

impl Insets {
    /// True when nothing is covered.
    pub fn is_none(&self) -> bool {
        self.top == 0.0 && self.bottom == 0.0 && self.left == 0.0 && self.right == 0.0
    }

    /// The part of a canvas of `size` outside the insets, rounded to whole pixels.
    pub fn safe_area(&self, size: Size) -> Rect {
        let (w, h) = (size.w as f32, size.h as f32);
        Rect::from_edges(
            (self.left * w).round() as i32,
            (self.top * h).round() as i32,
            size.w as i32 - (self.right * w).round() as i32,
            size.h as i32 - (self.bottom * h).round() as i32,
        )
    }
}

/// The corner of the safe area a logo sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Corner {
    /// Top left.
    TopLeft,
    /// Top right.
    TopRight,
    /// Bottom left.
    BottomLeft,
    /// Bottom right.
    BottomRight,
}

impl Corner {
    /// True for the two top corners.
    pub fn is_top(self) -> bool {
        matches!(self, Corner::TopLeft | Corner::TopRight)
    }

    /// True for the two left corners.
    pub fn is_left(self) -> bool {
        matches!(self, Corner::TopLeft | Corner::BottomLeft)
    }

    /// The corner across the vertical axis (used for right-to-left layouts).
    pub fn mirrored(self) -> Corner {
        match self {
            Corner::TopLeft => Corner::TopRight,
            Corner::TopRight => Corner::TopLeft,
            Corner::BottomLeft => Corner::BottomRight,
            Corner::BottomRight => Corner::BottomLeft,
        }
    }

    /// Its name as the brand guide spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Corner::TopLeft => "top-left",
            Corner::TopRight => "top-right",
            Corner::BottomLeft => "bottom-left",
            Corner::BottomRight => "bottom-right",
        }
    }

    /// A box of `size` placed in this corner of `area`, `margin` px from both edges.
    pub fn place(self, area: Rect, w: i32, h: i32, margin: i32) -> Rect {
        let x = if self.is_left() {
            area.x + margin
        } else {
            area.right() - margin - w
        };
        let y = if self.is_top() {
            area.y + margin
        } else {
            area.bottom() - margin - h
        };
        Rect::new(x, y, w, h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_safe_area_drops_platform_ui() {
        let insets = Insets {
            top: 0.14,
            bottom: 0.20,
            ..Default::default()
        };
        let safe = insets.safe_area(Size::new(1080, 1920));
        assert_eq!(safe, Rect::new(0, 269, 1080, 1267));
    }

    #[test]
    fn corner_places_at_margin() {
        let area = Rect::new(0, 100, 500, 300);
        let r = Corner::BottomRight.place(area, 50, 20, 10);
        assert_eq!((r.right(), r.bottom()), (490, 390));
        let r = Corner::TopLeft.place(area, 50, 20, 10);
        assert_eq!((r.x, r.y), (10, 110));
    }

    #[test]
    fn intersections() {
        let a = Rect::new(0, 0, 10, 10);
        assert!(a.overlaps(Rect::new(9, 9, 5, 5)));
        assert!(!a.overlaps(Rect::new(10, 0, 5, 5)));
        assert!(a.contains(Rect::new(2, 2, 8, 8)));
        assert_eq!(a.union(Rect::default()), a);
    }
}
